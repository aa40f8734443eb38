/** The isolate's copy of the tax regions: kept for its period, dropped on a change, never refilled by a load the change overtook. */
import { afterAll, describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { regionsByCode, regionsChanged } from "./region-cache.ts";
import { deleteRegion, upsertRegion } from "./store.ts";

const rules = { pricesIncludeTax: false, rounding: "line" as const, standardBp: 500, reducedBp: 500, shippingTaxClass: "exempt" as const };
const MINUTE = 60_000;

afterAll(() => withTestDb(async (db) => void (await Promise.all(["XA-C1", "XA-C2", "XA-C3"].map((c) => deleteRegion(db, c))))));

describe("the tax regions kept in the isolate", () => {
  it("reads the table once per period: a row another isolate wrote shows only when the copy is too old", async () => {
    await withTestDb(async (db) => {
      regionsChanged();
      const t0 = Date.now();
      expect((await regionsByCode(db, MINUTE, t0)).has("XA-C1")).toBe(false);
      await upsertRegion(db, "XA", "C1", rules); // as another isolate would: this one's copy is not told
      expect((await regionsByCode(db, MINUTE, t0 + 1_000)).has("XA-C1")).toBe(false);
      expect((await regionsByCode(db, MINUTE, t0 + MINUTE + 1)).get("XA-C1")?.standardBp).toBe(500);
      expect((await regionsByCode(db, 0, t0)).has("XA-C1")).toBe(true); // 0 reads every time
    });
  });

  it("drops the copy on a change made here, and does not keep a load the change overtook", async () => {
    await withTestDb(async (db) => {
      const t0 = Date.now();
      await regionsByCode(db, MINUTE, t0);
      await upsertRegion(db, "XA", "C2", rules);
      regionsChanged();
      expect((await regionsByCode(db, MINUTE, t0)).has("XA-C2")).toBe(true);
      regionsChanged();
      const inFlight = regionsByCode(db, MINUTE, t0); // a load that began before the next change
      regionsChanged();
      await inFlight;
      await upsertRegion(db, "XA", "C3", rules); // after the load: only a fresh read has it
      expect((await regionsByCode(db, MINUTE, t0)).has("XA-C3")).toBe(true);
    });
  });
});
