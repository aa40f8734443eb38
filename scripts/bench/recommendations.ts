/**
 * `npx tsx scripts/bench/recommendations.ts [--categories 40] [--customers 20000] [--seconds 10] [--rate 20]`
 *
 * Latency of the recommendation endpoints at a fixed request rate (open
 * model: latency from each request's scheduled time), against the
 * hello-world Worker measured just before on the same runtime. The
 * generated history of the offline evaluation, scaled up, is written into a
 * throwaway Postgres as order lines, signals, items and stock, and the
 * nightly rebuild job (run through the scheduler's admin route) builds the
 * tables from it. Each endpoint is measured twice: every request for a
 * different product or shopper (cache misses: what a first view costs) and
 * the same URL again (served from the edge cache for its minute).
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { type OpenResult, openModel } from "./load.ts";
import { generateHistory } from "./recommendations-history.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    categories: { type: "string", default: "40" },
    customers: { type: "string", default: "20000" },
    seconds: { type: "string", default: "10" },
    rate: { type: "string", default: "20" },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const OPS_TOKEN = `bench-ops-token-${crypto.randomUUID()}`;

const productId = (i: number) => `prd_BENCH${String(i).padStart(21, "0")}`;
const userId = (i: number) => `usr_BENCH${String(i).padStart(21, "0")}`;

async function load(client: pg.Client, categories: number, customers: number): Promise<{ products: number; users: number }> {
  const h = generateHistory({ seed: 17, categories, productsPerSubcategory: 25, customers, days: 90 });
  const index = new Map(h.products.map((p, i) => [p.productId, i]));
  const ids = h.products.map((_, i) => productId(i));
  await client.query(
    `insert into recommendations.items (product_id, status, version, slug, name, brand_id, category_path, tags, attributes, price_minor, skus)
     select id, 'active', 1, 'bench-' || id, 'Bench ' || id, b, c, string_to_array(t, ','), string_to_array(a, ','), p, array[id || '-V0']
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) as x(id, b, c, t, a, p)`,
    [
      ids,
      h.products.map((p) => p.brandId),
      h.products.map((p) => p.categoryPath),
      h.products.map((p) => p.tags.join(",")),
      h.products.map((p) => p.attributes.join(",")),
      h.products.map((p) => p.priceMinor),
    ],
  );
  await client.query(
    `insert into recommendations.sku_stock (sku, available, version) select id || '-V0', 100, 1 from unnest($1::text[]) id`,
    [ids],
  );
  const lines = h.orders.flatMap((o, n) =>
    o.products.map((p) => ({
      order: `ord_BENCH${String(n).padStart(21, "0")}`,
      user: userId(o.customer),
      product: productId(index.get(p)!),
      day: o.day,
    })),
  );
  for (let i = 0; i < lines.length; i += 20_000) {
    const batch = lines.slice(i, i + 20_000);
    const cols = [batch.map((l) => l.order), batch.map((l) => l.user), batch.map((l) => l.product), batch.map((l) => 90 - l.day)];
    await client.query(
      `insert into recommendations.order_lines (order_id, user_id, product_id, quantity, state, ordered_at)
       select o, u, p, 1, 'confirmed', now() - make_interval(days => d) from unnest($1::text[], $2::text[], $3::text[], $4::int[]) as x(o, u, p, d)`,
      cols,
    );
    await client.query(
      `insert into recommendations.signals (id, user_id, product_id, kind, weight, occurred_at)
       select o || ':' || p, u, p, 'purchase', 5, now() - make_interval(days => d) from unnest($1::text[], $2::text[], $3::text[], $4::int[]) as x(o, u, p, d)`,
      cols,
    );
  }
  return { products: ids.length, users: customers };
}

async function rebuild(url: string): Promise<unknown> {
  const res = await fetch(`${url}/api/scheduler/jobs/recommendations-rebuild/run`, {
    method: "POST",
    headers: { authorization: `Bearer ${OPS_TOKEN}` },
  });
  if (!res.ok) throw new Error(`rebuild answered ${res.status}: ${await res.text()}`);
  return res.json();
}

async function main(): Promise<void> {
  const stack = await startStack({ mode: "test" });
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  try {
    await migrateDatabase(stack.databaseUrl);
    await client.connect();
    const size = await load(client, Number(args.categories), Number(args.customers));
    const hello = await startMiniflareHello();
    const app = await startMiniflareApp(build(), { ...stack.workerVars, APP_ENV: "production", LOG_LEVEL: "warn", OPS_TOKEN });
    try {
      const t0 = performance.now();
      const run = await rebuild(app.url);
      const figures = await client.query<{ pairs: string; lines: string }>(
        "select (select count(*) from recommendations.co_purchase) as pairs, (select count(*) from recommendations.order_lines) as lines",
      );
      console.log(
        `recommendations bench: ${size.products} products, ${size.users} customers, ${figures.rows[0]!.lines} order lines, ${figures.rows[0]!.pairs} co-purchase pairs; rebuild ${Math.round(performance.now() - t0)} ms (${JSON.stringify(run).slice(0, 160)})`,
      );
      console.log(`open model at ${RATE} req/s for ${SECONDS}s per row; hello-world measured before each row\n`);
      const auth = { authorization: `Bearer ${OPS_TOKEN}` };
      const cases: { name: string; url: (i: number) => string; headers?: Record<string, string> }[] = [
        { name: "also-bought", url: (i) => `/api/recommendations/products/${productId((i * 7919) % size.products)}/also-bought` },
        { name: "similar", url: (i) => `/api/recommendations/products/${productId((i * 7919) % size.products)}/similar` },
        { name: "trending", url: (i) => `/api/recommendations/trending?category=cat${i % Number(args.categories)}&limit=${1 + (i % 50)}` },
        {
          name: "cart (3 products)",
          url: (i) =>
            `/api/recommendations/cart?productIds=${[i, i + 1, i + 2].map((k) => productId((k * 7919) % size.products)).join(",")}`,
        },
        { name: "personal feed", url: (i) => `/api/recommendations/${userId((i * 104729) % size.users)}`, headers: auth },
      ];
      const rows: Record<string, unknown>[] = [];
      for (const c of cases) {
        for (const mode of ["miss", "hit"] as const) {
          const baseline = await openModel(`${hello.url}/`, RATE, SECONDS);
          // The hit case warms its one URL first.
          if (mode === "hit") await fetch(app.url + c.url(0), { headers: c.headers });
          const m: OpenResult = await openModel((i) => app.url + c.url(mode === "hit" ? 0 : i + 1), RATE, SECONDS, c.headers);
          if (m.errors > 0) throw new Error(`${c.name}: ${m.errors} requests failed`);
          rows.push({
            endpoint: c.name,
            cache: mode,
            "p50 ms": m.p50,
            "p99 ms": m.p99,
            "hello p50": baseline.p50,
            "hello p99": baseline.p99,
            "p50 / hello": Number((m.p50 / baseline.p50).toFixed(1)),
            "p99 / hello": Number((m.p99 / baseline.p99).toFixed(1)),
          });
        }
      }
      console.table(rows);
    } finally {
      await app.stop();
      await hello.stop();
    }
  } finally {
    await client.end();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
