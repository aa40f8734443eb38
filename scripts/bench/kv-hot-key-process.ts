/**
 * One process of `scripts/bench/kv-hot-key.ts`, run by Deno: hosts one hot
 * object on the shared KV file with the Deno adapter's object host (one or
 * several hosts on one KV handle) and calls it in a closed loop for the
 * given seconds, then prints its calls and lost races as JSON. The object is
 * a one-key counter, or with `--stock` the real Inventory object of one SKU,
 * each call reserving one unit. With `--read` it only prints the counter's
 * value (or the SKU's level); with `--restock N` it puts N units in stock.
 */

import { Inventory } from "../../workers/inventory/index.ts";
import { deno, nodeModules } from "../../workers/platform/deno/deno-api.ts";
import { KvObjects } from "../../workers/platform/deno/kv-objects.ts";

/** A read-modify-write across an await: the shape of every object call that changes state. */
class HotCounter {
  constructor(private readonly ctx: DurableObjectState) {}
  async increment(): Promise<number> {
    const next = ((await this.ctx.storage.get<number>("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", next);
    return next;
  }
  async value(): Promise<number> {
    return (await this.ctx.storage.get<number>("n")) ?? 0;
  }
}

const api = deno();
const argv = (globalThis as unknown as { Deno: { args: string[] } }).Deno.args;
const [file, seconds, callers, hostCount, mode, modeArg] = argv.filter((a) => a !== "--stock");
const stock = argv.includes("--stock");
const kv = await api.openKv(file);
const modules = await nodeModules();
// Several hosts on one KV handle stand for several isolates sharing one store, without the local file's locking.
const hosts = Array.from(
  { length: Math.max(1, Number(hostCount)) },
  () => new KvObjects(kv, { HOT: HotCounter, INVENTORY: Inventory }, {}, modules),
);
const SKU = "HOT-SKU";
const actor = { type: "system" as const, id: "bench" };
const stockOf = (i: number) => (hosts[i % hosts.length] as KvObjects).port.get("INVENTORY", SKU) as unknown as Inventory;
/** One call: an increment, or a one-unit hold on the SKU (true when held, false when refused for lack of stock). */
const callOf = (i: number, n: number): Promise<unknown> =>
  stock
    ? stockOf(i)
        .reserve({ sku: SKU, reservationId: `r-${i}-${n}-${crypto.randomUUID()}`, quantity: 1, ttlMs: 600_000, actor })
        .then((r) => r.ok)
    : ((hosts[i % hosts.length] as KvObjects).port.get("HOT", "one-sku") as unknown as HotCounter).increment();
if (mode === "--read") {
  const level = stock ? await stockOf(0).level(SKU) : null;
  const value = stock ? null : await ((hosts[0] as KvObjects).port.get("HOT", "one-sku") as unknown as HotCounter).value();
  console.log(JSON.stringify(stock ? { level } : { value }));
} else if (mode === "--restock") {
  await stockOf(0).restock({ sku: SKU, operationId: "bench-restock", quantity: Number(modeArg), actor });
  console.log(JSON.stringify({ restocked: Number(modeArg) }));
} else {
  let calls = 0;
  let held = 0;
  let failures = 0;
  let firstFailure = "";
  const until = performance.now() + Number(seconds) * 1000;
  await Promise.all(
    Array.from({ length: Number(callers) }, async (_, i) => {
      while (performance.now() < until) {
        try {
          if ((await callOf(i, calls)) === true) held++;
          calls++;
        } catch (err) {
          failures++;
          firstFailure ||= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        }
      }
    }),
  );
  console.log(
    JSON.stringify({
      calls,
      held,
      failures,
      commits: hosts.reduce((n, h) => n + h.stats.commits, 0),
      conflicts: hosts.reduce((n, h) => n + h.stats.conflicts, 0),
      firstFailure,
    }),
  );
}
kv.close();
