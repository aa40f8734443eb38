/**
 * `npx tsx scripts/bench/reviews.ts [--sizes 1000,100000] [--seconds 8] [--rate 10] [--connections 16]`
 *
 * Review reads as a product's review count grows. One product gets each
 * number of reviews in `sizes` (written straight into a throwaway Postgres,
 * with their authors, some orders and the rating aggregate, then analyzed); the built
 * Worker, served by Miniflare's API with its real bindings, answers the
 * public reads a product page makes: the rating summary and the first page
 * of reviews in each sort order. Each is measured with a closed loop
 * (throughput) and an open model at a fixed rate (latency from each
 * request's scheduled time), right after the hello-world Worker on the same
 * runtime, whose figures are the baseline. EXPLAIN (ANALYZE) shows the
 * index each listing reads and Postgres's own time at each size: with the
 * partial indexes a page costs the same for 1,000 reviews as for 100,000.
 */
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "../../db/schema/index.ts";
import type { ReviewSort } from "../../workers/reviews/cursor.ts";
import { listReviewsQuery } from "../../workers/reviews/list-query.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { type ClosedResult, closedLoop, type OpenResult, openModel } from "./load.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,100000" },
    seconds: { type: "string", default: "8" },
    rate: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
  },
});
const SIZES = args.sizes
  .split(",")
  .map(Number)
  .sort((a, b) => a - b);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);

const productIdFor = (size: number) => `prd_BENCH${String(size).padStart(21, "0")}`;

/** `size` reviews of one product by as many accounts (about one in twenty pending), their orders, and the product's aggregate. */
async function generate(client: pg.Client, size: number): Promise<void> {
  const productId = productIdFor(size);
  const prefix = `B${String(size).padStart(7, "0")}`;
  await client.query(
    `insert into users.users (id, email, name, created_at)
     select 'usr_' || $1 || lpad(g::text, 18, '0'), $1 || '-' || g || '@bench.example', 'Bench Reviewer' || g, now() - interval '90 days'
     from generate_series(1, $2::int) g`,
    [prefix, size],
  );
  await client.query(
    `insert into reviews.reviews (id, product_id, user_id, rating, title, body, status, helpful_count, not_helpful_count, created_at, updated_at)
     select 'rev_' || $1 || lpad(g::text, 18, '0'), $2, 'usr_' || $1 || lpad(g::text, 18, '0'),
       1 + (g * 7919) % 5, 'Review ' || g, repeat('Sturdy, comfortable and as described. ', 1 + g % 6),
       case when g % 20 = 0 then 'pending' else 'approved' end, (g * 31) % 97, (g * 17) % 13,
       now() - make_interval(secs => $3::int - g), now() - make_interval(secs => $3::int - g)
     from generate_series(1, $3::int) g`,
    [prefix, productId, size],
  );
  // Every tenth reviewer bought the product (a confirmed order), so the verified-purchase mark has facts to look up.
  await client.query(
    `insert into reviews.purchase_orders (order_id, user_id, confirmed_at)
     select 'ord_' || $1 || lpad(g::text, 18, '0'), 'usr_' || $1 || lpad(g::text, 18, '0'), now() - interval '30 days'
     from generate_series(10, $2::int, 10) g`,
    [prefix, size],
  );
  await client.query(
    `insert into reviews.purchase_lines (order_id, user_id, product_id)
     select 'ord_' || $1 || lpad(g::text, 18, '0'), 'usr_' || $1 || lpad(g::text, 18, '0'), $3
     from generate_series(10, $2::int, 10) g`,
    [prefix, size, productId],
  );
  await client.query(
    `insert into reviews.product_ratings (product_id, stars_1, stars_2, stars_3, stars_4, stars_5, rating_count, rating_total, version)
     select $1, count(*) filter (where rating = 1), count(*) filter (where rating = 2), count(*) filter (where rating = 3),
       count(*) filter (where rating = 4), count(*) filter (where rating = 5), count(*), sum(rating), 1
     from reviews.reviews where product_id = $1 and status = 'approved'`,
    [productId],
  );
}

const KINDS: { name: string; sort: ReviewSort; stars?: number; verified?: boolean; path: (productId: string) => string }[] = [
  { name: "rating summary", sort: "newest", path: (p) => `/api/reviews/ratings/${p}` },
  { name: "reviews, newest", sort: "newest", path: (p) => `/api/reviews?productId=${p}&limit=20` },
  { name: "reviews, most helpful", sort: "helpful", path: (p) => `/api/reviews?productId=${p}&sort=helpful&limit=20` },
  { name: "reviews, lowest rating", sort: "rating_asc", path: (p) => `/api/reviews?productId=${p}&sort=rating_asc&limit=20` },
  { name: "reviews, 1 star only", sort: "newest", stars: 1, path: (p) => `/api/reviews?productId=${p}&stars=1&limit=20` },
  { name: "reviews, verified only", sort: "newest", verified: true, path: (p) => `/api/reviews?productId=${p}&verified=true&limit=20` },
];

async function load(url: string): Promise<{ closed: ClosedResult; open: OpenResult }> {
  await closedLoop(url, 4, 1);
  const closed = await closedLoop(url, CONNECTIONS, SECONDS);
  const open = await openModel(url, RATE, SECONDS);
  if (closed.errors + open.errors > 0) throw new Error(`${url}: ${closed.errors + open.errors} requests failed`);
  return { closed, open };
}

async function explainList(client: pg.Client, productId: string, kind: (typeof KINDS)[number]): Promise<string> {
  const db = drizzle({ client, schema });
  const query = listReviewsQuery(db, {
    productId,
    status: "approved",
    sort: kind.sort,
    stars: kind.stars,
    verified: kind.verified,
    limit: 20,
  }).toSQL();
  let best: string[] = [];
  let bestMs = Infinity;
  for (let i = 0; i < 5; i++) {
    const plan = (await client.query<{ "QUERY PLAN": string }>(`explain (analyze, costs off) ${query.sql}`, query.params)).rows.map(
      (r) => r["QUERY PLAN"],
    );
    const ms = Number(/Execution Time: ([\d.]+)/.exec(plan.join("\n"))?.[1] ?? NaN);
    if (ms < bestMs) [best, bestMs] = [plan, ms];
  }
  const scans = [
    ...new Set(
      best
        .map((l) => /((?:Bitmap |)Index (?:Only )?Scan(?: Backward)?|Seq Scan) (?:using|on) (\S+)/.exec(l))
        .filter(Boolean)
        .map((m) => `${m![1]} ${m![2]}`),
    ),
  ];
  return `${bestMs.toFixed(2)} ms in Postgres; ${scans.join(", ")}`;
}

const fmt = (r: { closed: ClosedResult; open: OpenResult }) =>
  `${String(r.closed.rps).padStart(5)} rps  p50 ${r.open.p50} ms  p90 ${r.open.p90} ms  p99 ${r.open.p99} ms`;

async function main(): Promise<void> {
  console.log(
    `reviews bench: products with ${SIZES.join(" and ")} reviews, ${SECONDS}s per measurement, closed loop with ${CONNECTIONS} connections, open model at ${RATE} req/s`,
  );
  const stack = await startStack({ mode: "test" });
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  try {
    await migrateDatabase(stack.databaseUrl);
    await client.connect();
    for (const size of SIZES) await generate(client, size);
    await client.query(
      "analyze users.users; analyze reviews.reviews; analyze reviews.product_ratings; analyze reviews.purchase_orders; analyze reviews.purchase_lines",
    );

    const hello = await startMiniflareHello();
    const app = await startMiniflareApp(build(), { ...stack.workerVars, APP_ENV: "production", LOG_LEVEL: "warn" });
    const rows: {
      kind: string;
      size: number;
      m: { closed: ClosedResult; open: OpenResult };
      baseline: { closed: ClosedResult; open: OpenResult };
      db: string;
    }[] = [];
    try {
      for (const kind of KINDS) {
        for (const size of SIZES) {
          const baseline = await load(hello.url + "/");
          const m = await load(app.url + kind.path(productIdFor(size)));
          const db = kind.name === "rating summary" ? "primary key" : await explainList(client, productIdFor(size), kind);
          rows.push({ kind: kind.name, size, m, baseline, db });
          console.log(`  ${kind.name.padEnd(22)} ${String(size).padStart(6)} reviews  ${fmt(m)}  | hello ${fmt(baseline)}  | ${db}`);
        }
      }
    } finally {
      await app.stop();
      await hello.stop();
    }

    console.log("\nratios: to the hello-world Worker measured just before (rps, p50), and largest over smallest product (p50)");
    for (const kind of KINDS) {
      const of = (size: number) => rows.find((r) => r.kind === kind.name && r.size === size)!;
      const small = of(SIZES[0]!);
      const large = of(SIZES[SIZES.length - 1]!);
      const vsHello = (r: typeof small) =>
        `rps x${(r.m.closed.rps / r.baseline.closed.rps).toFixed(3)} p50 x${(r.m.open.p50 / r.baseline.open.p50).toFixed(1)}`;
      console.log(
        `  ${kind.name.padEnd(22)} ${SIZES[0]}: ${vsHello(small)}   ${SIZES[SIZES.length - 1]}: ${vsHello(large)}   p50 ${small.m.open.p50} -> ${large.m.open.p50} ms (x${(large.m.open.p50 / small.m.open.p50).toFixed(2)})`,
      );
    }
    console.log(
      "\n" +
        JSON.stringify({
          sizes: SIZES,
          seconds: SECONDS,
          rate: RATE,
          connections: CONNECTIONS,
          rows: rows.map(({ kind, size, m, baseline, db }) => ({
            kind,
            size,
            rps: m.closed.rps,
            p50: m.open.p50,
            p99: m.open.p99,
            helloRps: baseline.closed.rps,
            helloP50: baseline.open.p50,
            db,
          })),
        }),
    );
  } finally {
    await client.end().catch(() => undefined);
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
