/**
 * Live views over WebSocket on Deno (live-sockets.ts, live-feeds.ts), with
 * a real `Deno.serve` behind the real gateway, real WebSocket clients and
 * Deno KV: the greeting, a change pushed from the call's commit, an answer
 * to a client's message, the watch closed with the last socket, connections
 * racing changes, the bound on sockets under racing upgrades, the 101's
 * gateway headers and its request log line, and a change written by another
 * process.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { createApp } from "../app.ts";
import type { AppEnv } from "../context.ts";
import { defineFamily } from "../family.ts";
import { jobRegistry } from "../job.ts";
import { configureLogs } from "../log.ts";
import { httpRequestsTotal } from "../metrics.ts";
import { PREPARED_UPGRADE_HEADER } from "../prepared-upgrade.ts";
import { deno, nodeModules } from "./deno-api.ts";
import { KvObjects } from "./kv-objects.ts";
import { KvQueues } from "./kv-queues.ts";
import { LiveFeeds } from "./live-feeds.ts";
import { LiveSockets } from "./live-sockets.ts";
import { denoRuntime } from "./runtime.ts";
import { check, equal } from "./test-assertions.ts";
import { handshake } from "./websocket-handshake.ts";

const api = deno();
const modules = await nodeModules();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A stock counter with a live view written as the Inventory object's is: a level on every change and for every message. */
class Stock {
  constructor(private readonly ctx: DurableObjectState) {}
  private level(): string {
    return JSON.stringify({ type: "level", level: { units: this.ctx.storage.kv.get<number>("units") ?? 0 } });
  }
  async add(units: number): Promise<void> {
    this.ctx.storage.kv.put("units", (this.ctx.storage.kv.get<number>("units") ?? 0) + units);
    const text = this.level();
    for (const ws of this.ctx.getWebSockets()) ws.send(text);
  }
  async webSocketMessage(ws: WebSocket): Promise<void> {
    ws.send(this.level());
  }
}
type StockStub = { add(units: number): Promise<void>; fetch(request: Request): Promise<Response> };

/** The request log's lines go to the console: only warnings and errors, unless a test captures them. */
const QUIET = { level: "warn", levels: {}, debugSampleRate: 1 } as const;
configureLogs(QUIET);

/** A family whose live view is answered as the inventory route answers its own: the object's response, fresh. */
const stockRoutes = new OpenAPIHono<AppEnv>();
stockRoutes.get("/:name/live", async (c) => {
  const res = await c.env.objects.get("STOCK", c.req.param("name")).fetch(new Request(c.req.url, c.req.raw));
  return new Response(null, { status: res.status, headers: new Headers(res.headers) });
});
const stockFamily = defineFamily({ name: "stock", routes: { "/api/stock": stockRoutes } });
const LIVE_ROUTE = "/api/stock/:name/live";

/** A host of Stock objects with live sockets behind a real server and the gateway, as the Deno entry serves them. */
async function serve(options: { maxSockets: number; preparedMs?: number }) {
  const path = `${await api.makeTempDir()}/kv.sqlite3`;
  const kv = await api.openKv(path);
  const host = new KvObjects(kv, { STOCK: Stock }, {}, modules);
  const feeds = new LiveFeeds(kv, { pollMs: null });
  const live = new LiveSockets(host, feeds, { ...options, upgrade: (r) => api.upgradeWebSocket(r) });
  host.live = live;
  const stub = (name: string) => host.port.get("STOCK", name) as unknown as StockStub;
  const rt = denoRuntime({
    vars: { DATABASE_URL: "postgres://unused@127.0.0.1:9/none", COST_HEADERS: "on" },
    objects: host.port,
    queues: new KvQueues(kv, {}, async () => undefined).port,
    blobsDir: `${await api.makeTempDir()}/blobs`,
  });
  const app = createApp({ families: [stockFamily], relay: () => undefined, jobs: jobRegistry([]) });
  const ctx = { waitUntil: (p: Promise<unknown>) => rt.waitUntil(p), passThroughOnException() {}, props: {} };
  const server = api.serve({ port: 0, hostname: "127.0.0.1", onListen: () => undefined }, async (request) =>
    live.accept(request, await app.fetch(request, rt, ctx as unknown as ExecutionContext)),
  );
  const url = (name: string) => `ws://127.0.0.1:${server.addr.port}/api/stock/${name}/live`;
  const stop = async () => {
    await server.shutdown();
    kv.close();
  };
  return { kv, path, host, feeds, live, stub, url, stop };
}

/** A client socket and the levels it received, in order. */
async function connect(url: string): Promise<{ ws: WebSocket; levels: unknown[]; closed: Promise<void> }> {
  const ws = new WebSocket(url);
  const levels: unknown[] = [];
  ws.addEventListener("message", (e) => levels.push((JSON.parse(String(e.data)) as { level: unknown }).level));
  const closed = new Promise<void>((r) => ws.addEventListener("close", () => r()));
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", () => reject(new Error(`${url} refused the socket`)));
  });
  return { ws, levels, closed };
}

api.test(
  "a live socket gets the level, each change from the change's commit, an answer per message; its close ends the watch",
  async () => {
    const t = await serve({ maxSockets: 4 });
    await t.stub("sku-1").add(3);
    const client = await connect(t.url("sku-1"));
    await until("the greeting", () => client.levels.length === 1);
    equal(client.levels, [{ units: 3 }], "the greeting: the level as it stands");
    await t.stub("sku-1").add(2);
    await until("the change", () => client.levels.length === 2);
    // A change by another host on the same store reaches the socket through the key too.
    const other = new KvObjects(t.kv, { STOCK: Stock }, {}, modules);
    await (other.port.get("STOCK", "sku-1") as unknown as StockStub).add(-1);
    await until("the other host's change", () => client.levels.length === 3);
    client.ws.send("anything");
    await until("the answer", () => client.levels.length === 4);
    equal(client.levels, [{ units: 3 }, { units: 5 }, { units: 4 }, { units: 4 }], "greeting, two changes, the answer");
    equal([t.live.sockets, t.feeds.size], [1, 1], "one socket, one watch");
    client.ws.close(1000, "done");
    await client.closed;
    await until("the slot and the watch to be given back", () => t.live.sockets === 0 && t.feeds.size === 0);
    await t.stop();
  },
);

api.test("sockets connecting while changes race them all end on the last level", async () => {
  const t = await serve({ maxSockets: 16 });
  await t.stub("hot").add(1);
  const adds = Array.from({ length: 30 }, async (_, i) => {
    await sleep(i * 3);
    await t.stub("hot").add(1);
  });
  const clients = await Promise.all(Array.from({ length: 8 }, (_, i) => sleep(i * 10).then(() => connect(t.url("hot")))));
  await Promise.all(adds);
  for (const [i, c] of clients.entries())
    await until(`client ${i} to hear the last level`, () => JSON.stringify(c.levels.at(-1)) === JSON.stringify({ units: 31 }));
  check(
    clients.every((c) => c.levels.length >= 1),
    "every client was greeted",
  );
  for (const c of clients) c.ws.close();
  await Promise.all(clients.map((c) => c.closed));
  await until("every slot back", () => t.live.sockets === 0 && t.feeds.size === 0);
  await t.stop();
});

api.test("racing upgrades never hold more sockets than the bound; a prepared upgrade nobody takes gives its slot back", async () => {
  const t = await serve({ maxSockets: 2, preparedMs: 100 });
  await t.stub("b").add(1);
  const handshake = { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" };
  const outcomes = await Promise.all(
    Array.from({ length: 6 }, () =>
      t
        .stub("b")
        .fetch(new Request("http://object/b", { headers: handshake }))
        .then(
          (r) => r.status,
          (err: { status?: number; code?: string }) => `${err.status} ${err.code}`,
        ),
    ),
  );
  equal(
    outcomes.toSorted(),
    [200, 200, "503 DEPENDENCY_UNAVAILABLE", "503 DEPENDENCY_UNAVAILABLE", "503 DEPENDENCY_UNAVAILABLE", "503 DEPENDENCY_UNAVAILABLE"],
    "two prepared, four refused",
  );
  equal(t.live.sockets, 2, "slots held by the prepared upgrades");
  await until("the untaken upgrades to give their slots back", () => t.live.sockets === 0 && t.feeds.size === 0);
  const client = await connect(t.url("b"));
  await until("a socket once slots are free", () => client.levels.length === 1);
  client.ws.close();
  await client.closed;
  // Deno's handshake needs more than `upgrade: websocket`: without it, a 422 naming the headers, and no slot taken.
  const bad = await t
    .stub("b")
    .fetch(new Request("http://object/b", { headers: { upgrade: "websocket" } }))
    .then(
      () => null,
      (err: { status?: number; extras?: { errors?: { field: string }[] } }) => [err.status, err.extras?.errors?.map((e) => e.field)],
    );
  equal(bad, [422, ["header.connection", "header.sec-websocket-key"]], "the refused handshake");
  await until("every slot back", () => t.live.sockets === 0 && t.feeds.size === 0);
  await t.stop();
});

api.test("the 101 carries the gateway's headers and is logged and counted as 101; a late refusal carries them too", async () => {
  const t = await serve({ maxSockets: 4 });
  await t.stub("h").add(1);
  const counted = () => liveRequests().find((e) => e.labels.status === "101")?.value ?? 0;
  const before = counted();
  const lines: { msg?: string; path?: string; status?: number; requestId?: string }[] = [];
  const print = console.log;
  configureLogs({ ...QUIET, levels: { request: "info" } });
  console.log = (line: unknown) => lines.push(JSON.parse(String(line)));
  let answer: Awaited<ReturnType<typeof handshake>>;
  try {
    answer = await handshake(t.url("h"), {
      "x-request-id": "live-req-1",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
  } finally {
    console.log = print;
    configureLogs(QUIET);
  }
  equal(answer.status, 101, "the upgrade's status");
  const h = answer.headers;
  equal(
    [h.get("upgrade"), h.get("connection"), h.get("sec-websocket-accept")],
    ["websocket", "Upgrade", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="],
    "the handshake's own headers, once each",
  );
  equal(h.get("x-request-id"), "live-req-1", "the request id");
  check(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/.test(h.get("traceparent") ?? ""), "the continued trace");
  check((h.get("server-timing") ?? "").includes('object-calls;desc="1"'), `server-timing: ${h.get("server-timing")}`);
  equal(
    [h.get("x-content-type-options"), h.get("x-frame-options"), h.get("strict-transport-security"), h.get("cache-control")],
    ["nosniff", "SAMEORIGIN", "max-age=15552000; includeSubDomains", "no-store"],
    "security headers and no-store",
  );
  equal(h.get(PREPARED_UPGRADE_HEADER), null, "the stand-in's marker stays inside");
  const logged = lines.filter((l) => l.msg === "request");
  equal(
    logged.map((l) => [l.path, l.status, l.requestId]),
    [["/api/stock/h/live", 101, "live-req-1"]],
    "the request log",
  );
  equal(counted() - before, 1, "the request counted as 101");
  equal(liveRequests().filter((e) => e.labels.status === "200").length, 0, "no request counted as the stand-in's 200");
  await until("the slot back after the connection closed", () => t.live.sockets === 0 && t.feeds.size === 0);

  // A stand-in whose prepared upgrade is gone (not taken in time) becomes a 503 that still carries the gateway's headers.
  const warnings: { msg?: string }[] = [];
  const warn = console.warn;
  console.warn = (line: unknown) => warnings.push(JSON.parse(String(line)));
  let late: Response;
  try {
    late = t.live.accept(
      new Request(t.url("h").replace("ws:", "http:")),
      new Response(null, { headers: { [PREPARED_UPGRADE_HEADER]: "gone", "x-request-id": "live-req-2", "cache-control": "no-store" } }),
    );
  } finally {
    console.warn = warn;
  }
  equal(
    [late.status, late.headers.get("x-request-id"), late.headers.get("retry-after"), late.headers.get(PREPARED_UPGRADE_HEADER)],
    [503, "live-req-2", "5", null],
    "the late refusal",
  );
  equal(
    warnings.map((w) => w.msg),
    ["live_socket.upgrade_expired"],
    "the warning the request log's 101 needs beside it",
  );
  await t.stop();
});

api.test("a feed on a local KV file hears a change another process commits (by polling the key)", async () => {
  const dir = await api.makeTempDir();
  const kv = await api.openKv(`${dir}/kv.sqlite3`);
  const key = ["objects", "STOCK", "x", "live"];
  const feeds = new LiveFeeds(kv, { pollMs: 100 });
  const subscription = await feeds.subscribe(key);
  const heard: string[] = [];
  subscription.start((v) => heard.push(v));
  const Command = (globalThis as unknown as { Deno: { Command: CommandClass } }).Deno.Command;
  const script = `const kv = await Deno.openKv(${JSON.stringify(`${dir}/kv.sqlite3`)}); await kv.set(${JSON.stringify(key)}, "from another process"); kv.close();`;
  const written = await new Command("deno", { args: ["eval", "--unstable-kv", script] }).output();
  equal(written.code, 0, "the other process's exit code");
  await until("the other process's value", () => heard.length > 0, 3000);
  equal(heard, ["from another process"], "what the feed delivered");
  subscription.close();
  equal(feeds.size, 0, "the feed closed with its last subscriber");
  kv.close();
});

type CommandClass = new (cmd: string, options: { args: string[] }) => { output(): Promise<{ code: number }> };

/** The live route's requests as the request metrics counted them. */
function liveRequests() {
  return httpRequestsTotal.entries().filter((e) => e.labels.route === LIVE_ROUTE && e.labels.method === "GET");
}
