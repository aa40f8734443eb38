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
import path from "node:path";
import { parseArgs } from "node:util";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { type ClosedResult, closedLoop, type OpenResult, openModel } from "./load.ts";
import { build, ROOT, startMiniflareApp, startMiniflareHello, startWranglerDev } from "./runtime.ts";

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
  console.log(
    `  ${runtime.padEnd(12)} ${target.padEnd(12)} closed ${String(closed.rps).padStart(6)} rps (errors ${closed.errors})  open@${RATE}/s p50 ${open.p50} ms p90 ${open.p90} ms p99 ${open.p99} ms (errors ${open.errors})`,
  );
  return row;
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
      console.log(
        `  ${row.runtime.padEnd(12)} ${row.target.padEnd(18)} rps x${(row.closed.rps / base.closed.rps).toFixed(3)}  p99 x${(row.open.p99 / base.open.p99).toFixed(2)}`,
      );
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
