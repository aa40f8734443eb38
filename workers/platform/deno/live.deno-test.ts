/**
 * Live views over WebSocket on Deno (live-sockets.ts, live-feeds.ts), with
 * a real `Deno.serve`, real WebSocket clients and Deno KV: the greeting, a
 * change pushed from the call's commit, an answer to a client's message, the
 * watch closed with the last socket, connections racing changes, the bound
 * on sockets under racing upgrades, and a change written by another process.
 */
import { deno, nodeModules } from "./deno-api.ts";
import { KvObjects } from "./kv-objects.ts";
import { LiveFeeds } from "./live-feeds.ts";
import { LiveSockets } from "./live-sockets.ts";
import { check, equal } from "./test-assertions.ts";

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

/** A host of Stock objects with live sockets behind a real server, answering as the inventory route does. */
async function serve(options: { maxSockets: number; preparedMs?: number }) {
  const path = `${await api.makeTempDir()}/kv.sqlite3`;
  const kv = await api.openKv(path);
  const host = new KvObjects(kv, { STOCK: Stock }, {}, modules);
  const feeds = new LiveFeeds(kv, { pollMs: null });
  const live = new LiveSockets(host, feeds, { ...options, upgrade: (r) => api.upgradeWebSocket(r) });
  host.live = live;
  const stub = (name: string) => host.port.get("STOCK", name) as unknown as StockStub;
  const server = api.serve({ port: 0, hostname: "127.0.0.1", onListen: () => undefined }, async (request) => {
    const res = await stub(new URL(request.url).pathname.slice(1))
      .fetch(new Request(request.url, request))
      .catch((err: { status?: number }) => new Response(null, { status: err.status ?? 500 }));
    return live.accept(request, new Response(null, { status: res.status, headers: new Headers(res.headers) }));
  });
  const url = (name: string) => `ws://127.0.0.1:${server.addr.port}/${name}`;
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
