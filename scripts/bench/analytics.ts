/**
 * `npx tsx scripts/bench/analytics.ts [--events 50000] [--lines 1000000] [--seconds 6] [--rate 5] [--connections 4]`
 *
 * 1. The pipeline under a burst: `--events` valid events of the business
 *    mix (views, cart adds, sign-ups, orders, confirmations, payments,
 *    shipments, stock) are enqueued on the pipeline's queue of the built
 *    Worker served by Miniflare's API; the clock stops when the consumer has
 *    validated, scrubbed and loaded all of them. Lag is each event's
 *    processing time minus its occurrence (stamped when it was enqueued).
 * 2. The reports with `--lines` order-line facts (and orders, customers,
 *    views, carts, payments, stock to match), generated in Postgres with
 *    generate_series: each endpoint over HTTP, a closed loop for throughput
 *    and an open model (at `--rate`, or half the closed-loop rate if lower)
 *    for p50 and p99, against the hello-world Worker on the same runtime.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import "../../queues/contracts/index.ts";
import { ItemAddedToCart } from "../../queues/contracts/events/cart.ts";
import { ShipmentCreated } from "../../queues/contracts/events/delivery.ts";
import { InventoryUpdated } from "../../queues/contracts/events/inventory.ts";
import { OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import { PaymentProcessed } from "../../queues/contracts/events/payment.ts";
import { ProductViewed } from "../../queues/contracts/events/product.ts";
import { UserRegistered } from "../../queues/contracts/events/user.ts";
import { buildEvent } from "../../workers/platform/event-contracts.ts";
import type { Envelope } from "../../workers/platform/event-envelope.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { generateFacts } from "./analytics-data.ts";
import { type ClosedResult, closedLoop, type OpenResult, openModel } from "./load.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "50000" },
    lines: { type: "string", default: "1000000" },
    seconds: { type: "string", default: "6" },
    rate: { type: "string", default: "5" },
    connections: { type: "string", default: "4" },
  },
});
const EVENTS = Number(args.events);
const LINES = Number(args.lines);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const OPS = "bench-ops-token-0123456789abcdef";
const VARS = { APP_ENV: "production", OPS_TOKEN: OPS, PII_HASH_KEY: "bench-pii-hash-key-0123456789abcdef-0123", LOG_LEVEL: "warn" };

/** One event of the mix; every event names real-looking ids so each loads a fact. */
function mixEvent(i: number, now: Date): Envelope {
  const user = `usr_${String(i % 5000).padStart(26, "0")}`;
  const order = `ord_${String(Math.floor(i / 10)).padStart(26, "0")}`;
  const base = { source: "bench", correlationId: `bench-${i}`, occurredAt: now };
  const orderRef = { orderId: order, orderNumber: `EC-B-${Math.floor(i / 10)}`, userId: user, currency: "USD" };
  const k = i % 20;
  const e =
    k < 6
      ? buildEvent(ProductViewed, {
          ...base,
          subjectId: "bench",
          actor: { type: "user", id: user },
          payload: { productRef: `prd_${String(i % 500).padStart(26, "0")}`, userId: user, sampleRate: 1 },
        })
      : k < 9
        ? buildEvent(ItemAddedToCart, {
            ...base,
            subjectId: `crt_${i}`,
            actor: { type: "user", id: user },
            payload: {
              cartId: `crt_${i}`,
              sku: `SKU-${i % 500}`,
              quantity: 1,
              lineQuantity: 1,
              unitPriceMinor: 1000,
              currency: "USD",
              via: "add",
            },
          })
        : k < 11
          ? buildEvent(UserRegistered, {
              ...base,
              subjectId: user,
              payload: {
                userId: `usr_${String(i).padStart(26, "0").replace(/^0/, "R")}`,
                role: "customer",
                locale: "en",
                via: "registration",
                emailVerified: false,
              },
            })
          : k < 14
            ? buildEvent(OrderCreated, {
                ...base,
                subjectId: order,
                payload: {
                  ...orderRef,
                  orderId: `ord_${String(i).padStart(26, "0").replace(/^0/, "C")}`,
                  lines: [
                    {
                      sku: `SKU-${i % 500}`,
                      productId: `prd_${String(i % 500).padStart(26, "0")}`,
                      name: "Bench item",
                      quantity: 2,
                      unitPriceMinor: 1000,
                    },
                  ],
                  subtotalMinor: 2000,
                  discountMinor: 0,
                  shippingMinor: 499,
                  taxMinor: 200,
                  totalMinor: 2699,
                  shippingCountry: "DE",
                },
              })
            : k < 16
              ? buildEvent(OrderConfirmed, {
                  ...base,
                  subjectId: order,
                  payload: {
                    ...orderRef,
                    orderId: `ord_${String(i - 3)
                      .padStart(26, "0")
                      .replace(/^0/, "C")}`,
                    totalMinor: 2699,
                  },
                })
              : k < 18
                ? buildEvent(PaymentProcessed, {
                    ...base,
                    subjectId: order,
                    payload: { ...orderRef, paymentId: `pay_${i}`, amountMinor: 2699, provider: "sandbox", stage: "captured" },
                  })
                : k < 19
                  ? buildEvent(ShipmentCreated, {
                      ...base,
                      subjectId: `shp_${i}`,
                      payload: {
                        ...orderRef,
                        shipmentId: `shp_${i}`,
                        carrier: "DHL",
                        trackingNumber: `JD${i}`,
                        trackingUrl: null,
                        country: "DE",
                      },
                    })
                  : buildEvent(InventoryUpdated, {
                      ...base,
                      subjectId: `SKU-${i % 500}`,
                      payload: {
                        sku: `SKU-${i % 500}`,
                        onHand: 10,
                        reserved: 0,
                        available: 10,
                        lowStockThreshold: 3,
                        reorderPoint: 2,
                        reorderQuantity: 10,
                        status: "in_stock",
                        version: i + 1,
                        ledgerSeq: i,
                        cause: "receipt",
                        updatedAt: now.toISOString(),
                      },
                    });
  return e as Envelope;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

interface Burst {
  events: number;
  enqueuedMs: number;
  drainedMs: number;
  eventsPerSecond: number;
  lagP50Ms: number;
  lagP95Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  quarantined: number;
}

async function burst(app: Awaited<ReturnType<typeof startMiniflareApp>>, db: pg.Client): Promise<Burst> {
  const queue = await app.mf.getQueueProducer("Q_PIPELINE");
  const received = async () =>
    Number((await db.query<{ n: string }>("select coalesce(sum(received), 0) as n from pipeline.event_stats")).rows[0]!.n);
  const before = await received();
  const sentAt = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < EVENTS; i += 100) {
    const now = new Date();
    const batch = Array.from({ length: Math.min(100, EVENTS - i) }, (_, j) => mixEvent(i + j, now));
    for (const e of batch) sentAt.set(e.id, now.getTime());
    await queue.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
  }
  const enqueuedMs = Date.now() - started;
  let last = 0;
  for (;;) {
    const done = (await received()) - before;
    if (done >= EVENTS) break;
    if (Date.now() - last > 15_000) {
      console.log(`  ... ${done} of ${EVENTS} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
      last = Date.now();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const drainedMs = Date.now() - started;
  const rows = await db.query<{ event_id: string; at: string }>(
    "select event_id, (extract(epoch from processed_at) * 1000)::bigint as at from events.processed_events where consumer = 'pipeline' and event_id = any($1)",
    [[...sentAt.keys()]],
  );
  const lags = rows.rows.map((r) => Number(r.at) - sentAt.get(r.event_id)!).sort((a, b) => a - b);
  const quarantined = Number(
    (await db.query<{ n: string }>("select coalesce(sum(quarantined), 0) as n from pipeline.event_stats")).rows[0]!.n,
  );
  return {
    events: EVENTS,
    enqueuedMs,
    drainedMs,
    eventsPerSecond: Math.round(EVENTS / (drainedMs / 1000)),
    lagP50Ms: pct(lags, 0.5),
    lagP95Ms: pct(lags, 0.95),
    lagP99Ms: pct(lags, 0.99),
    lagMaxMs: lags[lags.length - 1]!,
    quarantined,
  };
}

type Measured = { closed: ClosedResult; open: OpenResult };

async function measure(url: string, headers: Record<string, string>): Promise<Measured> {
  await closedLoop(url, 2, 1, headers);
  const closed = await closedLoop(url, CONNECTIONS, SECONDS, headers);
  const open = await openModel(url, Math.max(1, Math.min(RATE, Math.floor(closed.rps / 2))), SECONDS, headers);
  if (closed.errors + open.errors > 0) throw new Error(`${url}: ${closed.errors + open.errors} requests failed`);
  return { closed, open };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  console.log(
    `analytics bench: a burst of ${EVENTS} events; then reports over ${LINES} order-line facts (${SECONDS}s per measurement, closed loop ${CONNECTIONS} connections, open model up to ${RATE}/s)`,
  );
  const stack = await startStack({ mode: "test" });
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  try {
    await migrateDatabase(stack.databaseUrl);
    await db.connect();
    const app = await startMiniflareApp(build(), { ...stack.workerVars, ...VARS });
    const hello = await startMiniflareHello();
    try {
      console.log("pipeline burst:");
      const b = await burst(app, db);
      console.log(
        `  ${b.events} events enqueued in ${(b.enqueuedMs / 1000).toFixed(1)} s, all loaded after ${(b.drainedMs / 1000).toFixed(1)} s: ${b.eventsPerSecond} events/s; lag p50 ${(b.lagP50Ms / 1000).toFixed(1)} s, p95 ${(b.lagP95Ms / 1000).toFixed(1)} s, p99 ${(b.lagP99Ms / 1000).toFixed(1)} s, max ${(b.lagMaxMs / 1000).toFixed(1)} s; quarantined ${b.quarantined}`,
      );

      const t0 = Date.now();
      await generateFacts(db, LINES);
      const n = (await db.query<{ n: string }>("select count(*) as n from analytics.order_line_facts")).rows[0]!.n;
      console.log(`facts generated in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${n} order lines`);

      const last30 = `from=${day(-29)}&to=${day(1)}`;
      const endpoints: [string, string][] = [
        ["sales by day, 30 days", `/api/analytics/sales?currency=USD&${last30}`],
        ["sales by week, 365 days", `/api/analytics/sales?currency=USD&from=${day(-364)}&to=${day(1)}&granularity=week`],
        ["sales by product, 30 days", `/api/analytics/sales?currency=USD&${last30}&by=product`],
        ["sales by category, 30 days", `/api/analytics/sales?currency=USD&${last30}&by=category`],
        ["sales by brand, 30 days", `/api/analytics/sales?currency=USD&${last30}&by=brand`],
        ["sales by region, 30 days", `/api/analytics/sales?currency=USD&${last30}&by=region`],
        ["sales by category, 365 days", `/api/analytics/sales?currency=USD&from=${day(-364)}&to=${day(1)}&granularity=month&by=category`],
        ["funnel, 30 days", `/api/analytics/funnel?currency=USD&${last30}&granularity=week`],
        ["cohorts, 12 weeks", `/api/analytics/cohorts?currency=USD&from=${day(-83)}&to=${day(1)}&periods=12`],
        ["customers, 30 days", `/api/analytics/customers?currency=USD&${last30}&granularity=week`],
        ["inventory, 90 days", `/api/analytics/inventory?from=${day(-89)}&to=${day(1)}&granularity=week`],
        ["real-time, today", `/api/analytics/realtime?currency=USD`],
      ];
      const headers = { authorization: `Bearer ${OPS}` };
      const base1 = await measure(hello.url + "/", {});
      console.log(
        `  hello-world                    ${String(base1.closed.rps).padStart(6)} rps  p50 ${base1.open.p50} ms  p99 ${base1.open.p99} ms`,
      );
      const rows: { name: string; m: Measured }[] = [];
      for (const [name, path] of endpoints) {
        const m = await measure(app.url + path, headers);
        rows.push({ name, m });
        console.log(
          `  ${name.padEnd(30)} ${String(m.closed.rps).padStart(6)} rps  p50 ${m.open.p50} ms  p99 ${m.open.p99} ms  (open model at ${m.open.targetRps}/s)`,
        );
      }
      const base2 = await measure(hello.url + "/", {});
      const baseRps = (base1.closed.rps + base2.closed.rps) / 2;
      const baseP50 = (base1.open.p50 + base2.open.p50) / 2;
      console.log(
        `  hello-world (again)            ${String(base2.closed.rps).padStart(6)} rps  p50 ${base2.open.p50} ms  p99 ${base2.open.p99} ms`,
      );
      console.log("\nratios to the hello-world Worker (mean of the two baseline runs): closed-loop rps, open-model p50");
      for (const r of rows)
        console.log(`  ${r.name.padEnd(30)} rps x${(r.m.closed.rps / baseRps).toFixed(4)}  p50 x${(r.m.open.p50 / baseP50).toFixed(0)}`);
      console.log(
        "\n" +
          JSON.stringify({
            burst: b,
            lines: Number(n),
            seconds: SECONDS,
            hello: { rps: baseRps, p50: baseP50 },
            rows: rows.map((r) => ({ name: r.name, rps: r.m.closed.rps, p50: r.m.open.p50, p99: r.m.open.p99, rate: r.m.open.targetRps })),
          }),
      );
    } finally {
      await hello.stop();
      await app.stop();
    }
  } finally {
    await db.end().catch(() => undefined);
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
