/**
 * `npm run bench`: every shopper path against a hello-world Worker on the same
 * runtime, in the same run, with what each path costs.
 *
 * The built Worker is served by Miniflare's API with its real bindings
 * (objects, queues, R2, Postgres through the local relay) and no dev proxy.
 * Per path: a closed loop (`--connections` clients) gives the saturation
 * throughput; then an open model at 70 % of it gives the percentiles. Per
 * action it prints the Worker's own round trips (statements, transactions,
 * sessions its pool opened, object calls; from `Server-Timing`), the database
 * server's (sessions started, transactions, tuples read), the relay's, and
 * the CPU milliseconds of workerd, postgres and this process (load generator
 * and relay) during the closed loop.
 *
 * After the single paths, "browse mix" (shopper-mix.ts) runs a visitor's
 * read traffic skewed by popularity, with a staff edit every 2 s purging
 * what it touches, and prints the edge cache's hit rate under it.
 *
 * Options: --seconds N (per measurement, default 6), --connections N
 * (default 32), --products N (catalogue size, default 500), --compare (also
 * run the database paths as before this data path: `DATABASE_QUERY_PATH=session`,
 * every statement on a session of the request's own, and each such session a
 * new Postgres session, through the relay's unpooled `/direct/v2`), --only a,b
 * (paths by name).
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { encryptionKeyVar, signingKeysVar } from "../local/identity-keys.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { seed } from "../local/seed-runner.ts";
import { type Stack, startStack } from "../local/stack.ts";
import { CostMeter, type WindowCost } from "./cost.ts";
import { OPS_TOKEN, shoppers, stockedSkus } from "./fixtures.ts";
import { build, type Served, startMiniflareApp, startMiniflareHello } from "./runtime.ts";
import { browseMix, hitRate } from "./shopper-mix.ts";
import { shopperSteps } from "./shopper-steps.ts";
import { type ClosedRun, closedRun, errorsOf, type OpenRun, openRun, type Step } from "./step-load.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "6" },
    connections: { type: "string", default: "32" },
    products: { type: "string", default: "500" },
    compare: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const PRODUCTS = Number(args.products);
const ONLY = args.only?.split(",");

interface Row {
  variant: string;
  path: string;
  closed: ClosedRun;
  open: OpenRun;
  db: WindowCost;
  cpu: WindowCost["cpuMs"];
}

async function measure(meter: CostMeter, variant: string, path: string, step: Step): Promise<Row> {
  await closedRun(step, 4, 1, 1_000_000); // warm-up: compile, connections, caches, objects
  const s0 = await meter.snapshot();
  const closed = await closedRun(step, CONNECTIONS, SECONDS, 2_000_000);
  const s1 = await meter.snapshot();
  const rate = Math.max(1, Math.round(closed.stepsPerSecond * 0.7));
  const open = await openRun(step, rate, SECONDS, 3_000_000);
  await new Promise((r) => setTimeout(r, 1500)); // let the server's backends report their statistics
  const s2 = await meter.snapshot();
  const row: Row = {
    variant,
    path,
    closed,
    open,
    db: CostMeter.perRequest(s0, s2, closed.steps + open.steps),
    cpu: CostMeter.perRequest(s0, s1, closed.steps).cpuMs,
  };
  const per = (n: number) => (n / Math.max(1, closed.steps)).toFixed(2);
  console.log(
    `  ${variant.padEnd(8)} ${path.padEnd(22)} ${String(closed.stepsPerSecond).padStart(8)}/s (err ${errorsOf(closed)})` +
      `  open@${rate}/s p50 ${open.p50} p90 ${open.p90} p99 ${open.p99} ms (err ${errorsOf(open)})` +
      `  | stmts ${per(closed.cost.statements)} tx ${per(closed.cost.transactions)} own sessions ${per(closed.cost.sessions)} obj ${per(closed.cost.objectCalls)}` +
      `  | pg sessions ${row.db.pgSessions} xacts ${row.db.pgTransactions} tuples ${row.db.pgTuplesRead}` +
      `  | cpu ms ${Object.entries(row.cpu)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
  );
  return row;
}

async function startApp(stack: Stack, extra: Record<string, string>): Promise<Served> {
  return startMiniflareApp(build(), {
    ...stack.workerVars,
    APP_ENV: "production",
    LOG_LEVEL: "error",
    OPS_TOKEN,
    COST_HEADERS: "on",
    JWT_SIGNING_KEYS: signingKeysVar([{ kid: "bench-ed" }]),
    MFA_ENCRYPTION_KEY: encryptionKeyVar(),
    ...extra,
  });
}

async function main(): Promise<void> {
  console.log(
    `bench: ${PRODUCTS} products; ${SECONDS}s per measurement; closed loop with ${CONNECTIONS} clients, then open model at 70 % of it`,
  );
  const stack = await startStack({ mode: "test" });
  const meter = await CostMeter.open(stack);
  const rows: Row[] = [];
  let mixHitRate = "";
  try {
    await migrateDatabase(stack.databaseUrl);
    await seed(stack.databaseUrl, () => undefined, {
      demo: { activeProducts: PRODUCTS, draftProducts: 0, archivedProducts: 0, customers: 0 },
    });
    const sample = await pickSample(stack.databaseUrl);

    const hello = await startMiniflareHello();
    const helloStep: Step = shopperSteps.hello(hello.url);
    rows.push(await measure(meter, "", "hello-world", helloStep));

    const variants: [string, Record<string, string>][] = [["http", {}]];
    // "sessions": the database path before: every statement on a session of the request's own, each a new Postgres session.
    const direct = stack.workerVars.NEON_WSPROXY?.replace(/\/v2$/, "/direct/v2");
    if (args.compare) variants.push(["sessions", { DATABASE_QUERY_PATH: "session", ...(direct ? { NEON_WSPROXY: direct } : {}) }]);
    for (const [variant, extra] of variants) {
      const app = await startApp(stack, extra);
      try {
        const skus = await stockedSkus(app.url, 16);
        const tokens = await shoppers(app.url, 8);
        const steps = shopperSteps.app(app.url, { ...sample, skus, tokens });
        for (const [path, step] of Object.entries(steps)) {
          if (ONLY && !ONLY.includes(path)) continue;
          // The edge cache does not depend on the database path: measured once.
          if (variant === "sessions" && path === "browse (cached)") continue;
          rows.push(await measure(meter, variant, path, step));
        }
        if (variant === "http" && (!ONLY || ONLY.includes("browse mix"))) {
          const mix = browseMix(app.url, sample);
          rows.push(await measure(meter, variant, "browse mix", mix.step));
          mixHitRate = hitRate(mix.counts);
          console.log(`  ${"".padEnd(8)} ${"browse mix".padEnd(22)} ${mixHitRate}`);
        }
      } finally {
        await app.stop();
      }
    }
    await hello.stop();

    const base = rows[0]!;
    console.log("\nratios to hello-world in this run (closed-loop actions per second; open-model p99):");
    for (const row of rows.slice(1)) {
      console.log(
        `  ${row.variant.padEnd(8)} ${row.path.padEnd(22)} x${(row.closed.stepsPerSecond / base.closed.stepsPerSecond).toFixed(3)}  p99 ${row.open.p99} ms`,
      );
    }
    console.log(`\n${JSON.stringify({ products: PRODUCTS, seconds: SECONDS, connections: CONNECTIONS, mixHitRate, rows })}`);
  } finally {
    await meter.close();
    await stack.stop();
  }
}

/** A category path with many products, a product slug and words from product names, to ask for. */
async function pickSample(
  url: string,
): Promise<{ category: string; slug: string; terms: string[]; slugs: string[]; categories: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const category = await client.query<{ path: string }>(
      "select split_part(c.path, '/', 1) as path from catalog.products p join catalog.categories c on c.id = p.category_id group by 1 order by count(*) desc limit 1",
    );
    const product = await client.query<{ slug: string }>("select slug from catalog.products where status = 'active' order by id limit 1");
    const words = await client.query<{ w: string }>(
      "select distinct lower(split_part(name, ' ', 2)) as w from catalog.products where status = 'active' and length(split_part(name, ' ', 2)) > 3 limit 24",
    );
    // The browse mix's catalogue, most popular first: every active product, and every category path with products.
    const slugs = await client.query<{ slug: string }>("select slug from catalog.products where status = 'active' order by id");
    const categories = await client.query<{ path: string }>(
      "select c.path from catalog.products p join catalog.categories c on c.id = p.category_id where p.status = 'active' group by 1 order by count(*) desc",
    );
    return {
      category: category.rows[0]!.path,
      slug: product.rows[0]!.slug,
      terms: words.rows.map((r) => r.w),
      slugs: slugs.rows.map((r) => r.slug),
      categories: categories.rows.map((r) => r.path),
    };
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
