/**
 * The Deno adapter's own tests (runtime-specific: they need Deno KV and
 * Deno's Cache API, so they run with `npm run test:deno`, not in workerd):
 * optimistic object calls racing from two hosts on one KV store, alarms that
 * re-check their due time, queue batches with retries and dead letters, the
 * HTTP cache's expiry and blobs on files. Live sockets: live.deno-test.ts.
 */

import { deno, nodeModules } from "./deno-api.ts";
import { fileBucket } from "./file-blobs.ts";
import { expiringCache, sharedLifetimeSeconds } from "./http-cache.ts";
import { KvObjects } from "./kv-objects.ts";
import { KvQueues } from "./kv-queues.ts";
import { check, equal } from "./test-assertions.ts";

const api = deno();
const modules = await nodeModules();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A counter written as a Durable Object would be: read, then write, across an await. */
class Counter {
  constructor(private readonly ctx: DurableObjectState) {}
  async increment(): Promise<number> {
    const next = ((await this.ctx.storage.get<number>("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", next);
    return next;
  }
  async value(): Promise<number> {
    return (await this.ctx.storage.get<number>("n")) ?? 0;
  }
  async remindAt(at: number): Promise<void> {
    await this.ctx.storage.setAlarm(at);
  }
  async forget(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
  }
  async alarm(): Promise<void> {
    const fired = (await this.ctx.storage.get<number[]>("fired")) ?? [];
    await this.ctx.storage.put("fired", [...fired, Date.now()]);
  }
  async fired(): Promise<number[]> {
    return (await this.ctx.storage.get<number[]>("fired")) ?? [];
  }
}
type CounterStub = Counter;

api.test("two hosts racing on one object's key lose no increment: the commit checks what the call read", async () => {
  const kv = await api.openKv(":memory:");
  const a = new KvObjects(kv, { COUNTER: Counter }, {}, modules);
  const b = new KvObjects(kv, { COUNTER: Counter }, {}, modules);
  const stub = (h: KvObjects) => h.port.get("COUNTER", "hot") as unknown as CounterStub;
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stub(i % 2 ? a : b).increment()));
  equal(await stub(a).value(), 40, "the counter after 40 increments from two hosts");
  equal(
    [...results].sort((x, y) => x - y),
    Array.from({ length: 40 }, (_, i) => i + 1),
    "every increment saw a distinct value",
  );
  check(a.stats.conflicts + b.stats.conflicts > 0, "the race produced at least one lost optimistic commit that was retried");
  kv.close();
});

api.test("an alarm runs once, at the latest due time set, and a deleted alarm never runs", async () => {
  const kv = await api.openKv(":memory:");
  const host = new KvObjects(kv, { COUNTER: Counter }, {}, modules);
  void kv.listenQueue(async (m) => void (await host.receive(m)));
  const moved = host.port.get("COUNTER", "moved") as unknown as CounterStub;
  const deleted = host.port.get("COUNTER", "deleted") as unknown as CounterStub;
  const start = Date.now();
  await moved.remindAt(start + 100);
  await moved.remindAt(start + 400);
  await deleted.remindAt(start + 100);
  await deleted.forget();
  await sleep(1500);
  const fired = await moved.fired();
  equal(fired.length, 1, "alarm runs of the moved alarm");
  check((fired[0] ?? 0) >= start + 400, "the alarm ran no earlier than its latest due time");
  equal((await deleted.fired()).length, 0, "alarm runs of the deleted alarm");
  kv.close();
});

api.test("queue messages arrive in batches; a retried one comes back with one more attempt, then goes to the dead letters", async () => {
  const kv = await api.openKv(":memory:");
  const seen: { queue: string; body: unknown; attempts: number }[] = [];
  const queues = new KvQueues(
    kv,
    {
      Q: { queue: "q", maxBatchSize: 10, maxRetries: 2, deadLetterBinding: "DLQ" },
      DLQ: { queue: "q-dlq", maxBatchSize: 10, maxRetries: 0 },
    },
    async (batch) => {
      for (const m of batch.messages) {
        seen.push({ queue: batch.queue, body: m.body, attempts: m.attempts });
        if (batch.queue === "q" && m.body === "poison") m.retry({ delaySeconds: 0 });
        else m.ack();
      }
    },
    20,
  );
  void kv.listenQueue(async (m) => void (await queues.receive(m)));
  await queues.port.sendBatch("Q", ["fine", "poison"]);
  await sleep(1500);
  equal(seen.filter((s) => s.body === "fine").length, 1, "deliveries of the acknowledged message");
  equal(
    seen.filter((s) => s.queue === "q" && s.body === "poison").map((s) => s.attempts),
    [1, 2, 3],
    "attempts of the retried message",
  );
  equal(
    seen.filter((s) => s.queue === "q-dlq").map((s) => s.body),
    ["poison"],
    "dead letters",
  );
  kv.close();
});

api.test("the HTTP cache keeps a response for its s-maxage only", async () => {
  equal(sharedLifetimeSeconds("public, max-age=0, s-maxage=30"), 30, "s-maxage wins over max-age");
  equal(sharedLifetimeSeconds("private, max-age=60"), null, "private responses are not kept");
  let now = 1_000_000;
  const cache = expiringCache(
    () => caches.open(`test-${crypto.randomUUID()}`),
    () => now,
  );
  const url = "https://shop.example/api/products?page=1";
  await cache.put(url, new Response("listing", { headers: { "cache-control": "public, s-maxage=30" } }));
  equal(await (await cache.match(url))?.text(), "listing", "a fresh copy");
  now += 31_000;
  equal(await cache.match(url), undefined, "the copy after its 30 s");
});

api.test("blobs on files: put, head, get, list by prefix with a cursor, delete", async () => {
  const bucket = fileBucket(await api.makeTempDir());
  await bucket.put("reports/a.csv", "a,b\n1,2\n", { httpMetadata: { contentType: "text/csv" }, customMetadata: { rows: "1" } });
  await bucket.put("reports/b.csv", new Uint8Array([1, 2, 3]));
  await bucket.put("media/x.png", "png");
  equal((await bucket.head("reports/a.csv"))?.customMetadata, { rows: "1" }, "custom metadata");
  equal(await (await bucket.get("reports/a.csv"))?.text(), "a,b\n1,2\n", "the stored bytes");
  const first = await bucket.list({ prefix: "reports/", limit: 1 });
  equal([first.objects.map((o) => o.key), first.truncated], [["reports/a.csv"], true], "the first page");
  const second = await bucket.list({ prefix: "reports/", limit: 1, cursor: first.truncated ? first.cursor : undefined });
  equal(
    second.objects.map((o) => o.key),
    ["reports/b.csv"],
    "the second page",
  );
  await bucket.delete(["reports/a.csv", "reports/b.csv"]);
  equal(await bucket.get("reports/a.csv"), null, "a deleted blob");
  equal(
    (await bucket.list()).objects.map((o) => o.key),
    ["media/x.png"],
    "what is left",
  );
});

api.test("an object namespace the runtime does not host answers 503 DEPENDENCY_UNAVAILABLE, not an internal error", async () => {
  const kv = await api.openKv(":memory:");
  const host = new KvObjects(kv, { COUNTER: Counter }, {}, modules);
  equal([host.port.has("COUNTER"), host.port.has("INVENTORY")], [true, false], "which namespaces are hosted");
  const stub = host.port.get("INVENTORY", "SKU-1") as unknown as { view(): Promise<unknown> };
  const failure = await stub.view().then(
    () => null,
    (err: { status?: number; code?: string }) => err,
  );
  equal([failure?.status, failure?.code], [503, "DEPENDENCY_UNAVAILABLE"], "the refusal");
  // A hosted object's fetch is a live view's WebSocket upgrade; a host without live sockets (live-sockets.ts) answers 503 too.
  const live = host.port.get("COUNTER", "c") as unknown as { fetch(r: Request): Promise<Response> };
  const upgrade = await live.fetch(new Request("http://object/live", { headers: { upgrade: "websocket" } })).then(
    () => null,
    (err: { status?: number; code?: string }) => err,
  );
  equal([upgrade?.status, upgrade?.code], [503, "DEPENDENCY_UNAVAILABLE"], "the refused upgrade");
  kv.close();
});
