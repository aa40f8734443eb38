/**
 * `npx tsx scripts/bench/catalog.ts [--products 10000] [--seconds 8] [--rate 50] [--connections 32]`
 *
 * Catalog listing throughput and latency against the hello-world Worker on
 * the same runtime, in the same run. A throwaway Postgres gets the demo
 * catalogue at the requested size (the seed's own generator and writer,
 * price index included); the built Worker is served by Miniflare's API with
 * its real bindings. Public reads are measured as shoppers get them (from
 * the edge cache after the first miss) and with the cache bypassed (an
 * admin token), which is what every cache miss costs: one Postgres
 * connection and one statement. The hello-world baseline is measured again
 * right before each target, and each ratio is to that measurement.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { migrateDatabase } from "../local/migrate.ts";
import { seed } from "../local/seed-runner.ts";
import { startStack } from "../local/stack.ts";
import { type ClosedResult, closedLoop, type OpenResult, openModel } from "./load.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    products: { type: "string", default: "10000" },
    seconds: { type: "string", default: "8" },
    rate: { type: "string", default: "50" },
    connections: { type: "string", default: "32" },
  },
});
const PRODUCTS = Number(args.products);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const TOKEN = `bench-ops-${crypto.randomUUID()}`;

interface Row {
  target: string;
  closed: ClosedResult;
  open: OpenResult;
  /** The hello-world Worker measured just before this target. */
  baseline: { closed: ClosedResult; open: OpenResult };
}

async function load(url: string, headers: Record<string, string> = {}): Promise<{ closed: ClosedResult; open: OpenResult }> {
  await closedLoop(url, 4, 1, headers); // warm-up: compile, connections, and the edge cache's first miss
  return { closed: await closedLoop(url, CONNECTIONS, SECONDS, headers), open: await openModel(url, RATE, SECONDS, headers) };
}

const line = (label: string, r: { closed: ClosedResult; open: OpenResult }) =>
  `  ${label.padEnd(46)} closed ${String(r.closed.rps).padStart(6)} rps (errors ${r.closed.errors})  open@${RATE}/s p50 ${r.open.p50} ms p90 ${r.open.p90} ms p99 ${r.open.p99} ms (errors ${r.open.errors})`;

async function main(): Promise<void> {
  console.log(
    `catalog bench: ${PRODUCTS} active products, ${SECONDS}s per measurement, closed loop with ${CONNECTIONS} connections, open model at ${RATE} req/s`,
  );
  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    await seed(
      stack.databaseUrl,
      (l) => (l.startsWith("seed: ") || l.includes("demo accounts") || l.startsWith("same password") ? undefined : console.log(`  ${l}`)),
      {
        demo: { activeProducts: PRODUCTS, draftProducts: 0, archivedProducts: 0, customers: 0 },
      },
    );
    const sample = await pickSample(stack.databaseUrl);
    const admin = { authorization: `Bearer ${TOKEN}` };
    const targets: [string, string, Record<string, string>][] = [
      ["listing, edge cache", "/api/products?limit=20", {}],
      ["listing, no cache (newest)", "/api/products?limit=20", admin],
      [
        "listing, no cache (category+stock+price sort)",
        `/api/products?category=${encodeURIComponent(sample.category)}&inStock=true&sort=price_asc&limit=20`,
        admin,
      ],
      ["product detail, edge cache", `/api/products/${sample.slug}`, {}],
      ["product detail, no cache", `/api/products/${sample.slug}`, admin],
    ];

    // Both Workers stay up; the baseline is measured again right before each target, so a
    // machine whose load changes during the run still gives each ratio a fair comparison.
    const hello = await startMiniflareHello();
    const app = await startMiniflareApp(build(), { ...stack.workerVars, APP_ENV: "production", OPS_TOKEN: TOKEN, LOG_LEVEL: "warn" });
    const rows: Row[] = [];
    try {
      for (const [target, path, headers] of targets) {
        const baseline = await load(hello.url + "/");
        console.log(line("hello-world (baseline)", baseline));
        const result = await load(app.url + path, headers);
        console.log(line(target, result));
        rows.push({ target, ...result, baseline });
      }
    } finally {
      await app.stop();
      await hello.stop();
    }

    console.log("\nratios to the hello-world Worker measured just before (closed-loop rps; open-model p50 and p99):");
    for (const row of rows) {
      const b = row.baseline;
      console.log(
        `  ${row.target.padEnd(46)} rps x${(row.closed.rps / b.closed.rps).toFixed(3)}  p50 x${(row.open.p50 / b.open.p50).toFixed(1)}  p99 x${(row.open.p99 / b.open.p99).toFixed(1)}`,
      );
    }
    console.log("\n" + JSON.stringify({ products: PRODUCTS, seconds: SECONDS, rate: RATE, connections: CONNECTIONS, rows }));
  } finally {
    await stack.stop();
  }
}

/** A top-level category with many products, and one product slug, to ask for. */
async function pickSample(url: string): Promise<{ category: string; slug: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const category = await client.query<{ path: string }>(
      "select split_part(c.path, '/', 1) as path from catalog.products p join catalog.categories c on c.id = p.category_id group by 1 order by count(*) desc limit 1",
    );
    const product = await client.query<{ slug: string }>("select slug from catalog.products where status = 'active' order by id limit 1");
    return { category: category.rows[0]!.path, slug: product.rows[0]!.slug };
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
