/** The object's storage schema upgrade: an outbox made before the level's cause kept a traceparent gets the column once. */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testBindings } from "../../test/helpers/db.ts";
import { StockStore } from "./store.ts";
import { openSku } from "./testing.ts";

const columns = (storage: DurableObjectStorage) =>
  storage.sql
    .exec<{ name: string }>("SELECT name FROM pragma_table_info('outbox')")
    .toArray()
    .map((c) => c.name);

describe("inventory storage", () => {
  it("adds the outbox's traceparent column to an object stored without it, once, and keeps the level's cause in it", async () => {
    const { sku } = await openSku(5);
    const stub = testBindings.INVENTORY.get(testBindings.INVENTORY.idFromName(sku));
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("ALTER TABLE outbox DROP COLUMN traceparent");
      expect(columns(state.storage)).not.toContain("traceparent");
      const store = new StockStore(state.storage);
      expect(columns(state.storage)).toContain("traceparent");
      // A second start finds it there and changes nothing.
      new StockStore(state.storage);
      expect(columns(state.storage).filter((c) => c === "traceparent")).toHaveLength(1);
      const state0 = store.loadState()!;
      const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      state.storage.sql.exec("DELETE FROM outbox");
      store.apply(state0, null, {
        level: { correlationId: "req-1", actor: { type: "service", id: "ops" }, traceparent },
        now: Date.now(),
        flushAt: Date.now() + 60_000,
      });
      expect(store.pendingLevel()).toEqual({ correlationId: "req-1", actor: { type: "service", id: "ops" }, traceparent });
    });
  });
});
