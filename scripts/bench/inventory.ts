/**
 * `npx tsx scripts/bench/inventory.ts`: reservations per second on one SKU's
 * Inventory object, against a no-op call to a Durable Object measured in the
 * same run, (1) with direct RPC calls inside the runtime and (2) through
 * HTTP and the whole gateway; and (3) the cost of a multi-line reservation
 * with 1, 5 and 20 lines. A hello-world Worker on the same runtime is the
 * baseline of the HTTP figures, as in `npm run bench`.
 *
 * The Worker is built from scripts/bench/inventory-worker.js (the real app
 * plus its measuring points) and served by Miniflare's API with its real
 * bindings. Every write of a SQLite-backed object is a commit, which on a
 * disk waits for fsync: the whole set runs twice, with the runtime's
 * Durable Object storage on disk (its temporary folder) and, where
 * /dev/shm exists, in memory, so the objects' own cost shows apart from the
 * disk's. Last, it seeds the demo data and times the bootstrap.
 *
 * The machine this runs on is usually shared: every measurement is taken
 * once per round, in turn with the ones it is compared with, and the figures
 * are medians over rounds (ratios are paired within a round). Options:
 * --rounds N (default 5), --seconds N (per HTTP measurement, default 2),
 * --connections N (default 32), --calls N (RPC calls per measurement, default 4000).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { Agent, request } from "undici";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { migrateDatabase } from "../local/migrate.ts";
import { freePort } from "../local/ports.ts";
import { seed } from "../local/seed-runner.ts";
import { startStack } from "../local/stack.ts";
import { type ClosedResult, closedLoop } from "./load.ts";
import { ROOT, type Served, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "2" },
    rounds: { type: "string", default: "5" },
    connections: { type: "string", default: "32" },
    calls: { type: "string", default: "4000" },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const TOKEN = "bench-ops-token-0123456789abcdef";
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Bundles the benchmark Worker as `wrangler deploy` would. */
function buildBenchWorker(): string {
  const out = mkdtempSync(path.join(tmpdir(), "edge-commerce-bench-inventory-"));
  execFileSync(
    path.join(ROOT, "node_modules", ".bin", "wrangler"),
    ["deploy", "--dry-run", "--outdir", out, path.join(ROOT, "scripts/bench/inventory-worker.js")],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
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
  const durableObjects = {
    ...((workerOptions as { durableObjects?: Record<string, unknown> }).durableObjects ?? {}),
    BENCH_WRITE: { className: "BenchWrite", useSQLite: true },
  };
  const mf: Miniflare = new Miniflare(
    convertV4MiniflareOptions({
      ...(workerOptions as object),
      durableObjects,
      modules: [{ type: "ESModule", path: script, contents: readFileSync(script, "utf8") }],
      modulesRoot: path.dirname(script),
      bindings: { ...(workerOptions.bindings ?? {}), ...vars },
      host: "127.0.0.1",
      port,
    } as V4MiniflareOptions),
  );
  await mf.ready;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await mf.dispose();
      rmSync(path.dirname(script), { recursive: true, force: true });
    },
  };
}

/** Like closedLoop, for POSTs whose body `bodyFor(i)` makes (every reservation needs its own id). */
async function closedLoopPost(
  url: string,
  connections: number,
  seconds: number,
  bodyFor: (i: number) => unknown,
): Promise<ClosedResult & { statuses: Record<number, number> }> {
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
          const res = await request(url, {
            method: "POST",
            dispatcher: agent,
            headers: { ...AUTH, "content-type": "application/json" },
            body: JSON.stringify(bodyFor(i)),
          });
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
  return {
    model: "closed",
    connections,
    seconds,
    requests,
    errors,
    rps: Math.round(requests / seconds),
    meanMs: Math.round((totalMs / Math.max(1, requests)) * 100) / 100,
    statuses,
  };
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Runs each measurement once per round, in turn, so load that comes and goes hits all of them alike. */
async function interleaved<K extends string>(keys: readonly K[], one: (key: K) => Promise<number>): Promise<Record<K, number[]>> {
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < ROUNDS; r++) for (const k of keys) out[k].push(await one(k));
  return out;
}

/** The median over rounds of x / base, each pair measured in the same round. */
const pairedRatio = (x: number[], base: number[]) => median(x.map((v, i) => v / base[i]!));

async function measure(placement: Placement, vars: Record<string, string>, helloUrl: string): Promise<Record<string, unknown>> {
  const script = buildBenchWorker();
  const previous = process.env.TMPDIR;
  if (placement.tmpdir) process.env.TMPDIR = placement.tmpdir;
  const app = await startBenchApp(script, vars);
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  console.log(`\n== Durable Object storage ${placement.label}`);
  try {
    const skus = Array.from({ length: 21 }, (_, i) => `BENCH-${String(i).padStart(2, "0")}`);
    for (const sku of skus) await post(`${app.url}/api/inventory/${sku}/restock`, { quantity: 1_000_000, operationId: `bench-${sku}` });

    // (1) In the runtime: one Worker request drives the calls, so only the object and RPC are measured.
    console.log("(1) direct RPC calls to one object inside the runtime (calls/s, median of rounds; ratios paired per round):");
    await rpc(app.url, "noop", "bench-noop", 8);
    const rpcOut: Record<string, unknown> = {};
    for (const c of [1, 32]) {
      const ops = ["noop", "write", "reserve", "reserve-release"] as const;
      const r = await interleaved(
        ops,
        async (op) =>
          (
            await rpc(
              app.url,
              op,
              op === "noop" ? "bench-noop" : op === "write" ? `bench-write-${c}` : op === "reserve" ? skus[0]! : skus[1]!,
              c,
            )
          ).perSecond,
      );
      const m = Object.fromEntries(ops.map((op) => [op, Math.round(median(r[op]))]));
      rpcOut[`c${c}`] = { ...m, reserveToNoop: pairedRatio(r.reserve, r.noop), reserveToInsert: pairedRatio(r.reserve, r.write) };
      console.log(
        `  ${String(c).padStart(2)} in flight: no-op ${m.noop} | one SQLite insert ${m.write} (x${ratio(pairedRatio(r.write, r.noop), 1)} of no-op) | ` +
          `reserve ${m.reserve} (x${ratio(pairedRatio(r.reserve, r.noop), 1)} of no-op, x${ratio(pairedRatio(r.reserve, r.write), 1)} of one insert) | reserve+release ${m["reserve-release"]} pairs`,
      );
    }

    // (2) Through HTTP and the whole gateway (request id, CORS, auth, validation).
    console.log(`(2) through HTTP, closed loop with ${CONNECTIONS} connections (rps, median of rounds; ratios paired per round):`);
    await closedLoop(`${app.url}/api/bench/noop-do`, 4, 1, AUTH);
    const lines = (n: number) => skus.slice(1, 1 + n).map((sku) => ({ sku, quantity: 1 }));
    const targets = ["hello", "noop", "read", "hold", "reserve1", "reserve5", "reserve20"] as const;
    const http = await interleaved(targets, async (t) => {
      if (t === "hello") return (await closedLoop(helloUrl, CONNECTIONS, SECONDS)).rps;
      if (t === "noop") return (await closedLoop(`${app.url}/api/bench/noop-do`, CONNECTIONS, SECONDS, AUTH)).rps;
      if (t === "read") return (await closedLoop(`${app.url}/api/inventory/${skus[0]}`, CONNECTIONS, SECONDS)).rps;
      if (t === "hold") return (await closedLoop(`${app.url}/api/bench/hold?sku=${skus[0]}`, CONNECTIONS, SECONDS, AUTH)).rps;
      const n = Number(t.slice("reserve".length));
      const res = await closedLoopPost(`${app.url}/api/inventory/reserve`, CONNECTIONS, SECONDS, () => ({ lines: lines(n) }));
      if (res.errors > 0) console.log(`  (${t}: ${res.errors} errors, statuses ${JSON.stringify(res.statuses)})`);
      return res.rps;
    });
    const labels: Record<(typeof targets)[number], string> = {
      hello: "hello-world Worker (baseline)",
      noop: "no-op Durable Object call",
      read: "GET /api/inventory/{sku}",
      hold: "one hold on the SKU's object",
      reserve1: "POST /reserve, 1 line",
      reserve5: "POST /reserve, 5 lines",
      reserve20: "POST /reserve, 20 lines",
    };
    const httpOut: Record<string, unknown> = {};
    for (const t of targets) {
      const rps = Math.round(median(http[t]));
      httpOut[t] = { rps, toNoop: pairedRatio(http[t], http.noop), toHello: pairedRatio(http[t], http.hello) };
      console.log(
        `  ${labels[t].padEnd(32)} ${String(rps).padStart(6)} rps  x${ratio(pairedRatio(http[t], http.noop), 1)} of no-op  x${ratio(pairedRatio(http[t], http.hello), 1)} of hello`,
      );
    }

    // (3) The cost of lines: mean latency with one request in flight, so queueing does not hide it.
    console.log("(3) multi-line reservation latency, one request at a time (mean ms, median of rounds):");
    const lat = await interleaved(
      ["1", "5", "20"] as const,
      async (n) => (await closedLoopPost(`${app.url}/api/inventory/reserve`, 1, SECONDS, () => ({ lines: lines(Number(n)) }))).meanMs,
    );
    const latency = { 1: median(lat["1"]), 5: median(lat["5"]), 20: median(lat["20"]) };
    console.log(
      `  1 line ${latency[1].toFixed(2)} ms, 5 lines ${latency[5].toFixed(2)} ms, 20 lines ${latency[20].toFixed(2)} ms; per extra line ${((latency[20] - latency[1]) / 19).toFixed(2)} ms`,
    );
    return { storage: placement.label, rpc: rpcOut, http: httpOut, latencyMs: latency };
  } finally {
    await app.stop();
  }
}

async function main(): Promise<void> {
  console.log(`inventory bench: ${ROUNDS} rounds; HTTP ${SECONDS}s per measurement; ${CALLS} RPC calls per in-runtime measurement`);
  const stack = await startStack({ mode: "test" });
  const hello = await startMiniflareHello();
  try {
    await migrateDatabase(stack.databaseUrl);
    const vars = { ...stack.workerVars, APP_ENV: "production", OPS_TOKEN: TOKEN, LOG_LEVEL: "warn" };
    await closedLoop(hello.url + "/", 4, 1);
    const placements: Placement[] = [{ label: `on disk (${os.tmpdir()})`, tmpdir: undefined }];
    if (existsSync("/dev/shm")) placements.push({ label: "in memory (tmpfs /dev/shm)", tmpdir: "/dev/shm" });
    const results = [];
    for (const p of placements) results.push(await measure(p, vars, hello.url + "/"));

    // The demo data: how long the bootstrap takes to open every seeded SKU's object.
    await seed(stack.databaseUrl, () => undefined);
    const app = await startBenchApp(buildBenchWorker(), vars);
    try {
      const t0 = performance.now();
      const run = (await post(`${app.url}/api/inventory/bootstrap`, {})) as {
        outcome: string;
        result: { opened: number; announced: number };
      };
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `\nbootstrap of the demo stock (storage on disk): ${run.result.opened} objects opened, ${run.result.announced} re-announced in ${seconds.toFixed(2)} s (${run.outcome})`,
      );
      results.push({ bootstrap: { ...run.result, seconds } });
    } finally {
      await app.stop();
    }
    console.log("\n" + JSON.stringify({ rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, calls: CALLS, results }));
  } finally {
    await hello.stop();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
