/**
 * `npm run bench`: throughput and latency of the Worker against a
 * hello-world Worker on the same runtime, in the same run.
 *
 * The built Worker is served by Miniflare's API with its real bindings
 * (Durable Objects, Queues, R2, Postgres through the wsproxy relay) and no
 * dev-server proxy in front; with --wrangler-dev both Workers are measured
 * under `wrangler dev` as well. Options: --seconds N (default 8),
 * --rate N (open-model requests per second, default 200), --connections N.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { migrateDatabase } from "../local/migrate.ts";
import { freePort } from "../local/ports.ts";
import { startStack } from "../local/stack.ts";
import { closedLoop, openModel, type ClosedResult, type OpenResult } from "./load.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    rate: { type: "string", default: "200" },
    connections: { type: "string", default: "32" },
    "wrangler-dev": { type: "boolean", default: false },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const ROOT = process.cwd();
const WRANGLER = path.join(ROOT, "node_modules", ".bin", "wrangler");

interface Row {
  runtime: string;
  target: string;
  closed: ClosedResult;
  open: OpenResult;
}

async function measure(runtime: string, target: string, url: string): Promise<Row> {
  await closedLoop(url, 4, 1); // warm-up: compile, open connections, fill caches
  const closed = await closedLoop(url, CONNECTIONS, SECONDS);
  const open = await openModel(url, RATE, SECONDS);
  const row = { runtime, target, closed, open };
  console.log(`  ${runtime.padEnd(12)} ${target.padEnd(12)} closed ${String(closed.rps).padStart(6)} rps (errors ${closed.errors})  open@${RATE}/s p50 ${open.p50} ms p90 ${open.p90} ms p99 ${open.p99} ms (errors ${open.errors})`);
  return row;
}

function build(): string {
  const out = mkdtempSync(path.join(tmpdir(), "edge-commerce-bench-"));
  execFileSync(WRANGLER, ["deploy", "--dry-run", "--outdir", out], { stdio: ["ignore", "ignore", "inherit"] });
  return path.join(out, "index.js");
}

async function startMiniflareApp(script: string, vars: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml"));
  const port = await freePort();
  const mf = new Miniflare(convertV4MiniflareOptions({
    ...(workerOptions as object),
    modules: [{ type: "ESModule", path: script, contents: readFileSync(script, "utf8") }],
    modulesRoot: path.dirname(script),
    bindings: { ...(workerOptions.bindings ?? {}), ...vars },
    host: "127.0.0.1",
    port,
  } as V4MiniflareOptions));
  await mf.ready;
  return { url: `http://127.0.0.1:${port}`, stop: () => mf.dispose() };
}

async function startMiniflareHello(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const options = { modules: true, scriptPath: path.join(ROOT, "scripts/bench/hello-worker.js"), compatibilityDate: "2026-11-01", host: "127.0.0.1", port };
  const mf = new Miniflare(convertV4MiniflareOptions(options as V4MiniflareOptions));
  await mf.ready;
  return { url: `http://127.0.0.1:${port}`, stop: () => mf.dispose() };
}

async function startWranglerDev(config: string, vars: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child: ChildProcess = spawn(WRANGLER, ["dev", "-c", config, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(await freePort()), "--show-interactive-dev-session=false", "--log-level", "error", ...varArgs], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url + "/api/health/live")).status < 500) break;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill("SIGINT");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

async function main(): Promise<void> {
  console.log(`bench: ${SECONDS}s per measurement, closed loop with ${CONNECTIONS} connections, open model at ${RATE} req/s`);
  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    const vars = { ...stack.workerVars, APP_ENV: "production" };
    const rows: Row[] = [];

    console.log("workerd through Miniflare's API (no dev proxy):");
    const hello = await startMiniflareHello();
    rows.push(await measure("miniflare", "hello-world", hello.url + "/"));
    await hello.stop();
    const app = await startMiniflareApp(build(), vars);
    rows.push(await measure("miniflare", "/api/health/live", app.url + "/api/health/live"));
    rows.push(await measure("miniflare", "/api/health", app.url + "/api/health"));
    await app.stop();

    if (args["wrangler-dev"]) {
      console.log("wrangler dev:");
      const helloDev = await startWranglerDev(path.join(ROOT, "scripts/bench/hello.wrangler.toml"), {});
      rows.push(await measure("wrangler-dev", "hello-world", helloDev.url + "/"));
      await helloDev.stop();
      const appDev = await startWranglerDev(path.join(ROOT, "wrangler.toml"), vars);
      rows.push(await measure("wrangler-dev", "/api/health/live", appDev.url + "/api/health/live"));
      rows.push(await measure("wrangler-dev", "/api/health", appDev.url + "/api/health"));
      await appDev.stop();
    }

    console.log("\nratios to the hello-world Worker on the same runtime (closed-loop rps; open-model p99):");
    for (const row of rows) {
      const base = rows.find((r) => r.runtime === row.runtime && r.target === "hello-world")!;
      console.log(`  ${row.runtime.padEnd(12)} ${row.target.padEnd(18)} rps x${(row.closed.rps / base.closed.rps).toFixed(3)}  p99 x${(row.open.p99 / base.open.p99).toFixed(2)}`);
    }
    console.log("\n" + JSON.stringify({ seconds: SECONDS, rate: RATE, connections: CONNECTIONS, rows }, null, 0));
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
