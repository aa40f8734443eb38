/**
 * `npx tsx scripts/bench/search.ts [--sizes 10000,100000] [--seconds 12] [--rate 10] [--connections 8] [--rounds 3]`
 *
 * Search latency as the catalogue grows. The demo-data generator makes the
 * larger catalogue once; its products are written into the search projection
 * with the indexer's own upsert (and their stock as inventory events would
 * report it): all of them into one database, the first `small` into another
 * of the same server. Every kind of request below is measured through the
 * Worker served by Miniflare on both sizes in turn: a closed loop for
 * throughput, then an open model at a fixed rate for latency (measured from
 * each request's scheduled time). The hello-world Worker on the same runtime
 * is the baseline of the same run, and EXPLAIN (ANALYZE) shows which indexes
 * each statement uses and how long Postgres takes. On a shared machine other
 * processes come and go, so each measurement is repeated `rounds` times,
 * alternating sizes, and the medians are reported; the "no match" kind does
 * the same work at both sizes and shows how much of a ratio is noise.
 */
import { parseArgs } from "node:util";
import type { SQL } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { generateDemoData } from "../../db/seed/demo-data.ts";
import { planQuery } from "../../workers/search/query-plan.ts";
import { type QueryFacts, queryWordsStatement } from "../../workers/search/query-words.ts";
import { type SearchInput, searchStatement } from "../../workers/search/search-query.ts";
import { suggestStatement } from "../../workers/search/suggest.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { type ClosedResult, closedLoop, type OpenResult, openModel } from "./load.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";
import { load, toSnapshots } from "./search-data.ts";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000" },
    seconds: { type: "string", default: "12" },
    rate: { type: "string", default: "10" },
    connections: { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
  },
});
const SIZES = args.sizes
  .split(",")
  .map(Number)
  .sort((a, b) => a - b);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);

const base = (q: string | null, extra: Partial<SearchInput> = {}): Omit<SearchInput, "plan"> => ({
  q,
  filters: { categories: [], brands: [] },
  sort: "relevance",
  page: 1,
  limit: 20,
  ...extra,
});

/** The search statement as the Worker runs it: the query read first (its own statement), then planned. */
const searchOf =
  (input: Omit<SearchInput, "plan">) =>
  async (db: NodePgDatabase): Promise<SQL> => {
    if (input.q === null) return searchStatement({ ...input, plan: null });
    const facts = (await db.execute<{ result: QueryFacts }>(queryWordsStatement(input.q, "en"))).rows[0]!.result;
    return searchStatement({ ...input, plan: planQuery(facts.words, facts.synonyms) });
  };

/** What shoppers send: the URL the Worker gets, and the statement it runs (for EXPLAIN). */
const KINDS: { name: string; path: string; statement: (db: NodePgDatabase) => Promise<SQL> }[] = [
  { name: "two words", path: "/api/search?q=wireless+headphones", statement: searchOf(base("wireless headphones")) },
  { name: "typos", path: "/api/search?q=wirelss+headphnes", statement: searchOf(base("wirelss headphnes")) },
  {
    name: "word + filters",
    path: "/api/search?q=boots&category=apparel&inStock=true&minPrice=5000&maxPrice=15000&sort=price_asc",
    statement: searchOf(
      base("boots", {
        sort: "price_asc",
        filters: { categories: ["apparel"], brands: [], inStock: true, minPriceMinor: 5000, maxPriceMinor: 15000 },
      }),
    ),
  },
  { name: "brand name", path: "/api/search?q=northwind", statement: searchOf(base("northwind")) },
  { name: "no match", path: "/api/search?q=qzxv", statement: searchOf(base("qzxv")) },
  { name: "suggest", path: "/api/search/suggest?q=headph", statement: async () => suggestStatement("headph", 8) },
  {
    name: "browse category",
    path: "/api/search?category=home/kitchen",
    statement: searchOf(base(null, { filters: { categories: ["home/kitchen"], brands: [] } })),
  },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const executionMs = (plan: string[]) => Number(plan.find((l) => l.startsWith("Execution Time"))?.replace(/[^0-9.]/g, "") ?? NaN);

/** The plan with the median execution time of five EXPLAIN (ANALYZE) runs. */
async function explain(client: pg.Client, statement: SQL): Promise<string[]> {
  const query = new PgDialect().sqlToQuery(statement);
  const plans: string[][] = [];
  for (let i = 0; i < 5; i++) {
    const result = await client.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers, costs off) ${query.sql}`, query.params);
    plans.push(result.rows.map((r) => r["QUERY PLAN"]));
  }
  return plans.sort((a, b) => executionMs(a) - executionMs(b))[2]!;
}

/** The plan lines that say how rows were found, and the execution time. */
function planSummary(plan: string[]): string {
  const scans = new Set(
    plan
      .map((l) => /(Bitmap Index Scan|Index Scan|Index Only Scan|Seq Scan) (?:Backward )?(?:using|on) (\S+)/.exec(l))
      .filter(Boolean)
      .map((m) => `${m![1]} ${m![2]}`),
  );
  const time = plan.find((l) => l.startsWith("Execution Time"))?.replace("Execution Time: ", "") ?? "?";
  return `${time}; ${[...scans].join(", ")}`;
}

interface Measured {
  closed: ClosedResult;
  open: OpenResult;
}

async function measure(url: string): Promise<Measured> {
  await closedLoop(url, 2, 1);
  const closed = await closedLoop(url, CONNECTIONS, Math.max(2, SECONDS / 2));
  const open = await openModel(url, RATE, SECONDS);
  if (closed.errors + open.errors > 0) throw new Error(`${url}: ${closed.errors + open.errors} requests failed`);
  return { closed, open };
}

/** The medians of several measurements (rps, p50, p90, p99 each taken on its own). */
function medianOf(runs: Measured[]): Measured {
  const [first] = runs as [Measured];
  return {
    closed: { ...first.closed, rps: median(runs.map((r) => r.closed.rps)) },
    open: {
      ...first.open,
      p50: median(runs.map((r) => r.open.p50)),
      p90: median(runs.map((r) => r.open.p90)),
      p99: median(runs.map((r) => r.open.p99)),
    },
  };
}

/** One catalogue size: its own database in the shared server, and the Worker pointed at it. */
interface Catalogue {
  size: number;
  url: string;
  client: pg.Client;
  app?: Awaited<ReturnType<typeof startMiniflareApp>>;
}

const line = (m: Measured, hello: Measured) =>
  `closed ${String(m.closed.rps).padStart(4)} rps (x${(m.closed.rps / hello.closed.rps).toFixed(3)} hello)  open p50 ${String(m.open.p50).padStart(6)} ms  p99 ${String(m.open.p99).padStart(6)} ms`;

async function main(): Promise<void> {
  if (SIZES.length !== 2) throw new Error("--sizes takes two sizes: small,large");
  console.log(
    `search bench: ${SIZES.join(" and ")} products; per kind and size, ${ROUNDS} rounds of a closed loop of ${CONNECTIONS} connections for ${Math.max(2, SECONDS / 2)} s and an open model at ${RATE} req/s for ${SECONDS} s`,
  );
  const stack = await startStack({ mode: "test" });
  const catalogues: Catalogue[] = [];
  try {
    // Both sizes live side by side (two databases of one server, two Workers), and each kind is
    // measured on both in turn, so load from other processes falls on both alike.
    const admin = new pg.Client({ connectionString: stack.databaseUrl });
    await admin.connect();
    for (const size of SIZES) {
      const url = new URL(stack.databaseUrl);
      url.pathname = `/search_bench_${size}`;
      await admin.query(`drop database if exists search_bench_${size}`);
      await admin.query(`create database search_bench_${size}`);
      await migrateDatabase(url.toString());
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      catalogues.push({ size, url: url.toString(), client });
    }
    await admin.end();

    let t0 = performance.now();
    const data = generateDemoData({ activeProducts: SIZES[1]!, draftProducts: 0, archivedProducts: 0, customers: 0 });
    const snapshots = toSnapshots(data);
    console.log(
      `generated ${snapshots.length} products with ${data.variants.length} variants in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    for (const c of catalogues) {
      t0 = performance.now();
      await load(c.client, drizzle({ client: c.client }), data, snapshots.slice(0, c.size));
      const size = (await c.client.query<{ size: string }>("select pg_size_pretty(pg_total_relation_size('search.documents')) as size"))
        .rows[0]!.size;
      console.log(
        `indexed ${c.size} products in ${((performance.now() - t0) / 1000).toFixed(1)} s (the indexer's upsert, 1,000 a statement); search.documents with its indexes: ${size}`,
      );
    }

    const hello = await startMiniflareHello();
    const helloRuns: Measured[] = [];
    for (let r = 0; r < ROUNDS; r++) helloRuns.push(await measure(hello.url + "/"));
    const baseline = medianOf(helloRuns);
    await hello.stop();
    console.log(`hello-world Worker: ${line(baseline, baseline)}`);

    const script = build();
    for (const c of catalogues)
      c.app = await startMiniflareApp(script, { ...stack.workerVars, DATABASE_URL: c.url, APP_ENV: "production", LOG_LEVEL: "warn" });
    const results: { kind: string; size: number; m: Measured; plan: string[] }[] = [];
    try {
      for (const kind of KINDS) {
        console.log(`\n${kind.name}: ${kind.path}`);
        const runs = new Map<number, Measured[]>(catalogues.map((c) => [c.size, []]));
        for (let r = 0; r < ROUNDS; r++) for (const c of catalogues) runs.get(c.size)!.push(await measure(c.app!.url + kind.path));
        for (const c of catalogues) {
          const m = medianOf(runs.get(c.size)!);
          const plan = await explain(c.client, await kind.statement(drizzle({ client: c.client })));
          results.push({ kind: kind.name, size: c.size, m, plan });
          console.log(
            `  ${String(c.size).padStart(6)} products  ${line(m, baseline)}  (p50 by round ${runs
              .get(c.size)!
              .map((x) => x.open.p50)
              .join(", ")})  | db ${planSummary(plan)}`,
          );
        }
      }
    } finally {
      for (const c of catalogues) await c.app?.stop();
    }

    const [small, large] = SIZES as [number, number];
    console.log(
      `\nlatency with ${large} products over latency with ${small} (goal: under 2); hello-world p50 ${baseline.open.p50} ms, p99 ${baseline.open.p99} ms`,
    );
    for (const kind of KINDS) {
      const a = results.find((r) => r.size === small && r.kind === kind.name)!;
      const b = results.find((r) => r.size === large && r.kind === kind.name)!;
      const db = (r: typeof a) => executionMs(r.plan);
      console.log(
        `  ${kind.name.padEnd(16)} p50 ${a.m.open.p50} -> ${b.m.open.p50} ms (x${(b.m.open.p50 / a.m.open.p50).toFixed(2)})  p99 ${a.m.open.p99} -> ${b.m.open.p99} ms (x${(b.m.open.p99 / a.m.open.p99).toFixed(2)})  rps x${(b.m.closed.rps / a.m.closed.rps).toFixed(2)}  db ${db(a).toFixed(1)} -> ${db(b).toFixed(1)} ms`,
      );
    }
    for (const kind of KINDS.slice(0, 2)) {
      console.log(`\nEXPLAIN (ANALYZE) with ${large} products, ${kind.name}:`);
      for (const l of results.find((r) => r.size === large && r.kind === kind.name)!.plan) console.log(`  ${l}`);
    }
    console.log(
      "\n" +
        JSON.stringify({
          sizes: SIZES,
          seconds: SECONDS,
          rate: RATE,
          connections: CONNECTIONS,
          rounds: ROUNDS,
          baseline,
          results: results.map(({ plan: _plan, ...r }) => r),
        }),
    );
  } finally {
    for (const c of catalogues) await c.client.end().catch(() => undefined);
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
