/**
 * `npx tsx scripts/bench/inventory.ts`: reservations per second on one SKU's
 * Inventory object, against a no-op call to a Durable Object measured in the
 * same run, (1) with direct RPC calls inside the runtime and (2) through
 * HTTP and the whole gateway; and (3) the cost of a multi-line reservation
 * with 1, 5 and 20 lines. A hello-world Worker on the same runtime is the
 * baseline of the HTTP figures, as in `npm run bench`.
 *
 * The Worker is built from scripts/bench/inventory-worker.js (the real app
 * plus the two measuring points) and served by Miniflare's API with its real
 * bindings. Every write of a SQLite-backed object is a commit, which on a
 * disk waits for fsync: the whole set runs twice, with the runtime's
 * Durable Object storage on disk (its temporary folder) and, where
 * /dev/shm exists, in memory, so the objects' own cost shows apart from the
 * disk's. Last, it seeds the demo data and times the bootstrap. Options: --seconds N (per HTTP measurement, default 6),
 * --connections N (default 32), --calls N (RPC calls per measurement, default 20000).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Agent, request } from "undici";
import { migrateDatabase } from "../local/migrate.ts";
import { seed } from "../local/seed-runner.ts";
import { startStack } from "../local/stack.ts";
import { closedLoop, type ClosedResult } from "./load.ts";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { freePort } from "../local/ports.ts";
import { ROOT, startMiniflareHello, type Served } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "6" },
    connections: { type: "string", default: "32" },
    calls: { type: "string", default: "20000" },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const CALLS = Number(args.calls);
const TOKEN = "bench-ops-token-0123456789abcdef";
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Bundles the benchmark Worker as `wrangler deploy` would. */
function buildBenchWorker(): string {
  const out = mkdtempSync(path.join(tmpdir(), "edge-commerce-bench-inventory-"));
  execFileSync(path.join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", out, path.join(ROOT, "scripts/bench/inventory-worker.js")], { stdio: ["ignore", "ignore", "inherit"] });
  const js = readdirSync(out).find((f) => f.endsWith(".js"));
  if (!js) throw new Error(`no bundle in ${out}`);
  return path.join(out, js);
}

/**
 * As runtime.ts's startMiniflareApp, plus the BenchWrite object of the bench
 * Worker (a binding production does not have).
 */
async function startBenchApp(script: string, vars: Record<string, string>): Promise<Served> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml"));
  const port = await freePort();
  const durableObjects = { ...((workerOptions as { durableObjects?: Record<string, unknown> }).durableObjects ?? {}), BENCH_WRITE: { className: "BenchWrite", useSQLite: true } };
  const mf = new Miniflare(convertV4MiniflareOptions({
    ...(workerOptions as object),
    durableObjects,
    modules: [{ type: "ESModule", path: script, contents: readFileSync(script, "utf8") }],
    modulesRoot: path.dirname(script),
    bindings: { ...(workerOptions.bindings ?? {}), ...vars },
    host: "127.0.0.1",
    port,
  } as V4MiniflareOptions));
  await mf.ready;
  return { url: `http://127.0.0.1:${port}`, stop: () => mf.dispose() };
}

/** Like closedLoop, for POSTs whose body `bodyFor(i)` makes (every reservation needs its own id). */
async function closedLoopPost(url: string, connections: number, seconds: number, bodyFor: (i: number) => unknown): Promise<ClosedResult & { statuses: Record<number, number> }> {
  const agent = new Agent({ connections, pipelining: 1 });
  const until = performance.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  let totalMs = 0;
  const statuses: Record<number, number> = {};
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const i = requests++;
        try {
          const res = await request(url, { method: "POST", dispatcher: agent, headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify(bodyFor(i)) });
          await res.body.dump();
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 400) errors++;
        } catch {
          errors++;
        }
        totalMs += performance.now() - t0;
      }
    }),
  );
  await agent.close();
  return { model: "closed", connections, seconds, requests, errors, rps: Math.round(requests / seconds), meanMs: Math.round((totalMs / Math.max(1, requests)) * 100) / 100, statuses };
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function rpc(base: string, op: string, sku: string, c: number): Promise<{ perSecond: number; ms: number; refused: number }> {
  const res = await fetch(`${base}/bench/rpc?op=${op}&sku=${encodeURIComponent(sku)}&n=${CALLS}&c=${c}`);
  if (!res.ok) throw new Error(`rpc ${op}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { perSecond: number; ms: number; refused: number };
}

const ratio = (a: number, b: number) => (a / b).toFixed(3);

interface Placement {
  label: string;
  /** Where Miniflare keeps Durable Object storage (its temporary folder). */
  tmpdir: string | undefined;
}

async function measure(placement: Placement, vars: Record<string, string>, helloRps: number): Promise<Record<string, unknown>> {
  const previous = process.env.TMPDIR;
  if (placement.tmpdir) process.env.TMPDIR = placement.tmpdir;
  const app = await startBenchApp(buildBenchWorker(), vars);
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  console.log(`\n== Durable Object storage ${placement.label}`);
  try {
    const skus = Array.from({ length: 21 }, (_, i) => `BENCH-${String(i).padStart(2, "0")}`);
    for (const sku of skus) await post(`${app.url}/api/inventory/${sku}/restock`, { quantity: 1_000_000, operationId: `bench-${sku}` });

    // (1) In the runtime: one Worker request drives the calls, so only the object and RPC are measured.
    console.log("(1) direct RPC calls to one object inside the runtime:");
    await rpc(app.url, "noop", "bench-noop", 8);
    const rpcRows: Record<string, number> = {};
    for (const c of [1, 32]) {
      const noop = await rpc(app.url, "noop", "bench-noop", c);
      const write = await rpc(app.url, "write", `bench-write-${c}`, c);
      const reserve = await rpc(app.url, "reserve", skus[0]!, c);
      const pair = await rpc(app.url, "reserve-release", skus[1]!, c);
      Object.assign(rpcRows, { [`noop c${c}`]: noop.perSecond, [`write c${c}`]: write.perSecond, [`reserve c${c}`]: reserve.perSecond, [`reserve+release c${c}`]: pair.perSecond });
      console.log(
        `  ${String(c).padStart(2)} in flight: no-op ${noop.perSecond}/s | one SQLite insert ${write.perSecond}/s (x${ratio(write.perSecond, noop.perSecond)}) | ` +
          `reserve ${reserve.perSecond}/s (x${ratio(reserve.perSecond, noop.perSecond)} of no-op, x${ratio(reserve.perSecond, write.perSecond)} of one insert) | reserve+release ${pair.perSecond} pairs/s`,
      );
    }

    // (2) Through HTTP and the whole gateway (request id, CORS, auth, validation).
    console.log(`(2) through HTTP and the whole gateway, closed loop with ${CONNECTIONS} connections:`);
    await closedLoop(`${app.url}/api/bench/noop-do`, 4, 1, AUTH);
    const noopHttp = await closedLoop(`${app.url}/api/bench/noop-do`, CONNECTIONS, SECONDS, AUTH);
    const readHttp = await closedLoop(`${app.url}/api/inventory/${skus[0]}`, CONNECTIONS, SECONDS);
    const holdHttp = await closedLoop(`${app.url}/api/bench/hold?sku=${skus[0]}`, CONNECTIONS, SECONDS, AUTH);
    const lines = (n: number) => skus.slice(1, 1 + n).map((sku) => ({ sku, quantity: 1 }));
    console.log(`  no-op Durable Object call      ${String(noopHttp.rps).padStart(6)} rps  mean ${noopHttp.meanMs} ms  x${ratio(noopHttp.rps, helloRps)} of hello (errors ${noopHttp.errors})`);
    console.log(`  GET /api/inventory/{sku}       ${String(readHttp.rps).padStart(6)} rps  mean ${readHttp.meanMs} ms  x${ratio(readHttp.rps, noopHttp.rps)} of no-op (errors ${readHttp.errors})`);
    console.log(`  ${"one hold on the SKU's object".padEnd(30)} ${String(holdHttp.rps).padStart(6)} rps  mean ${holdHttp.meanMs} ms  x${ratio(holdHttp.rps, noopHttp.rps)} of no-op (errors ${holdHttp.errors}; what the cart's holdStock costs)`);
    const httpRows: Record<string, number> = { noop: noopHttp.rps, read: readHttp.rps, hold: holdHttp.rps };
    for (const n of [1, 5, 20]) {
      const r = await closedLoopPost(`${app.url}/api/inventory/reserve`, CONNECTIONS, SECONDS, () => ({ lines: lines(n) }));
      httpRows[`reserve ${n}`] = r.rps;
      console.log(`  POST /reserve, ${String(n).padStart(2)} line(s)     ${String(r.rps).padStart(6)} rps  mean ${r.meanMs} ms  x${ratio(r.rps, noopHttp.rps)} of no-op  x${ratio(r.rps, helloRps)} of hello (statuses ${JSON.stringify(r.statuses)})`);
    }

    // (3) The cost of lines: mean latency with one request in flight, so queueing does not hide it.
    console.log("(3) multi-line reservation latency, one request at a time:");
    const latency: Record<number, number> = {};
    for (const n of [1, 5, 20]) {
      const r = await closedLoopPost(`${app.url}/api/inventory/reserve`, 1, Math.max(2, SECONDS / 2), () => ({ lines: lines(n) }));
      latency[n] = r.meanMs;
      console.log(`  ${String(n).padStart(2)} line(s): mean ${r.meanMs} ms (${r.rps} rps)`);
    }
    console.log(`  per extra line: ${((latency[20]! - latency[1]!) / 19).toFixed(3)} ms`);
    return { storage: placement.label, rpc: rpcRows, http: httpRows, latencyMs: latency };
  } finally {
    await app.stop();
  }
}

async function main(): Promise<void> {
  console.log(`inventory bench: HTTP ${SECONDS}s per measurement; ${CALLS} RPC calls per in-runtime measurement`);
  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    const vars = { ...stack.workerVars, APP_ENV: "production", OPS_TOKEN: TOKEN, LOG_LEVEL: "warn" };
    const hello = await startMiniflareHello();
    await closedLoop(hello.url + "/", 4, 1);
    const helloRun = await closedLoop(hello.url + "/", CONNECTIONS, SECONDS);
    await hello.stop();
    console.log(`hello-world Worker (baseline): ${helloRun.rps} rps`);

    const placements: Placement[] = [{ label: `on disk (${os.tmpdir()})`, tmpdir: undefined }];
    if (existsSync("/dev/shm")) placements.push({ label: "in memory (tmpfs /dev/shm)", tmpdir: "/dev/shm" });
    const results = [];
    for (const p of placements) results.push(await measure(p, vars, helloRun.rps));

    // The demo data: how long the bootstrap takes to open every seeded SKU's object.
    await seed(stack.databaseUrl, () => undefined);
    const app = await startBenchApp(buildBenchWorker(), vars);
    try {
      const t0 = performance.now();
      const run = (await post(`${app.url}/api/inventory/bootstrap`, {})) as { outcome: string; result: { opened: number; announced: number } };
      const seconds = (performance.now() - t0) / 1000;
      console.log(`\nbootstrap of the demo stock: ${run.result.opened} objects opened, ${run.result.announced} re-announced in ${seconds.toFixed(2)} s (${run.outcome})`);
      results.push({ bootstrap: { ...run.result, seconds } });
    } finally {
      await app.stop();
    }
    console.log("\n" + JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, calls: CALLS, hello: helloRun.rps, results }));
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
