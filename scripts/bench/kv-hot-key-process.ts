/**
 * One process of `scripts/bench/kv-hot-key.ts`, run by Deno: hosts a
 * one-key counter object on the shared KV file with the Deno adapter's
 * object host (one or several hosts on one KV handle) and calls it in a closed loop for the given seconds, then
 * prints its calls and lost races as JSON. With `--read` it only prints the
 * counter's value.
 */
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
const [file, seconds, callers, hostCount, mode] = (globalThis as unknown as { Deno: { args: string[] } }).Deno.args;
const kv = await api.openKv(file);
const modules = await nodeModules();
// Several hosts on one KV handle stand for several isolates sharing one store, without the local file's locking.
const hosts = Array.from({ length: Math.max(1, Number(hostCount)) }, () => new KvObjects(kv, { HOT: HotCounter }, {}, modules));
const counterOf = (i: number) => (hosts[i % hosts.length] as KvObjects).port.get("HOT", "one-sku") as unknown as HotCounter;
const counter = counterOf(0);
if (mode === "--read") {
  console.log(JSON.stringify({ value: await counter.value() }));
} else {
  let calls = 0;
  let failures = 0;
  let firstFailure = "";
  const until = performance.now() + Number(seconds) * 1000;
  await Promise.all(
    Array.from({ length: Number(callers) }, async (_, i) => {
      while (performance.now() < until) {
        try {
          await counterOf(i).increment();
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
      failures,
      commits: hosts.reduce((n, h) => n + h.stats.commits, 0),
      conflicts: hosts.reduce((n, h) => n + h.stats.conflicts, 0),
      firstFailure,
    }),
  );
}
kv.close();
