/**
 * `npx tsx scripts/bench/search-before-after.ts --before <checkout> [--products 10000] [--seconds 8] [--rate 10] [--rounds 3]`
 *
 * Search latency of this tree against an older checkout of it (a folder with
 * its own node_modules, for example `git worktree add ../before <commit>` and
 * `npm ci` there), on the same data in the same run. One throwaway Postgres
 * is migrated by this tree (the older code's tables are a subset) and loaded
 * with the demo catalogue at the requested size; both Workers are bundled
 * each by its own tree's wrangler and served by Miniflare side by side with
 * the hello-world Worker. Each kind of request is measured in rounds that
 * alternate hello-world, before and after (an open model at a fixed rate,
 * latency from each request's scheduled time), so load from other processes
 * falls on all three alike; medians over the rounds are reported, with each
 * p50 and p99 as a ratio to hello-world's in the same round.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { generateDemoData } from "../../db/seed/demo-data.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { closedLoop, type OpenResult, openModel } from "./load.ts";
import { build, type Served, startMiniflareApp, startMiniflareHello } from "./runtime.ts";
import { load, toSnapshots } from "./search-data.ts";

const { values: args } = parseArgs({
  options: {
    before: { type: "string" },
    products: { type: "string", default: "10000" },
    seconds: { type: "string", default: "8" },
    rate: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
  },
});
if (!args.before) throw new Error("--before <checkout> is required: a folder holding the older tree and its node_modules");
const BEFORE = path.resolve(args.before);
const PRODUCTS = Number(args.products);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const ROUNDS = Number(args.rounds);

const KINDS: { name: string; path: string }[] = [
  { name: "two words", path: "/api/search?q=wireless+headphones" },
  { name: "typos", path: "/api/search?q=wirelss+headphnes" },
  { name: "transposition", path: "/api/search?q=aciton+gimbal" },
  { name: "half-typed word", path: "/api/search?q=docking+sta" },
  { name: "brand name", path: "/api/search?q=northwind" },
  { name: "nonsense", path: "/api/search?q=purple+monkey+dishwasher" },
  { name: "suggest", path: "/api/search/suggest?q=headph" },
];

/** Bundles the Worker of another checkout with that checkout's own wrangler and config. */
function buildIn(root: string): string {
  const out = mkdtempSync(path.join(tmpdir(), "edge-commerce-bench-before-"));
  execFileSync(path.join(root, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", out], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return path.join(out, "index.js");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(url: string): Promise<OpenResult> {
  await closedLoop(url, 2, 1);
  const open = await openModel(url, RATE, SECONDS);
  if (open.errors > 0) throw new Error(`${url}: ${open.errors} requests failed`);
  return open;
}

async function main(): Promise<void> {
  console.log(
    `search before/after: ${PRODUCTS} products; per kind ${ROUNDS} rounds of hello-world, before and after, each an open model at ${RATE} req/s for ${SECONDS} s`,
  );
  const stack = await startStack({ mode: "test" });
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  const served: Served[] = [];
  try {
    await migrateDatabase(stack.databaseUrl);
    await client.connect();
    const data = generateDemoData({ activeProducts: PRODUCTS, draftProducts: 0, archivedProducts: 0, customers: 0 });
    await load(client, drizzle({ client }), data, toSnapshots(data));
    const vars = { ...stack.workerVars, DATABASE_URL: stack.databaseUrl, APP_ENV: "production", LOG_LEVEL: "warn" };
    const hello = await startMiniflareHello();
    const before = await startMiniflareApp(buildIn(BEFORE), vars);
    const after = await startMiniflareApp(build(), vars);
    served.push(hello, before, after);

    const rows: { kind: string; p50: number[][]; p99: number[][] }[] = [];
    for (const kind of KINDS) {
      const p50: number[][] = [];
      const p99: number[][] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const h = await measure(`${hello.url}/`);
        const b = await measure(before.url + kind.path);
        const a = await measure(after.url + kind.path);
        p50.push([h.p50, b.p50, a.p50]);
        p99.push([h.p99, b.p99, a.p99]);
      }
      rows.push({ kind: kind.name, p50, p99 });
      const m = (xs: number[][], i: number) => median(xs.map((x) => x[i]!));
      const x = (xs: number[][], i: number) => median(xs.map((v) => v[i]! / v[0]!)).toFixed(1);
      console.log(
        `${kind.name.padEnd(16)} ${kind.path}\n` +
          `  p50 before ${m(p50, 1)} ms (x${x(p50, 1)} hello)  after ${m(p50, 2)} ms (x${x(p50, 2)} hello)  after/before x${median(p50.map((v) => v[2]! / v[1]!)).toFixed(2)}\n` +
          `  p99 before ${m(p99, 1)} ms (x${x(p99, 1)} hello)  after ${m(p99, 2)} ms (x${x(p99, 2)} hello)  after/before x${median(p99.map((v) => v[2]! / v[1]!)).toFixed(2)}  (hello p50 ${m(p50, 0)} ms, p99 ${m(p99, 0)} ms)`,
      );
    }
    console.log("\n" + JSON.stringify({ products: PRODUCTS, seconds: SECONDS, rate: RATE, rounds: ROUNDS, rows }));
  } finally {
    for (const s of served) await s.stop().catch(() => undefined);
    await client.end().catch(() => undefined);
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
