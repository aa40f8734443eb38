/**
 * `npx tsx scripts/bench/checkout.ts`: checkouts per second and their
 * latency, against a hello-world Worker on the same runtime, in the same run.
 *
 * A checkout is what a shopper's client does: POST /api/orders (price the
 * lines, reserve the stock, store the order with OrderCreated) then
 * PUT /api/orders/{id}/confirm?paymentMethodId=pm_card_visa (the saga:
 * authorise and capture with the sandbox provider, commit the stock, create
 * the shipment with the sandbox carrier, OrderConfirmed), both over HTTP
 * with a shopper's access token. The built Worker is served by Miniflare's
 * API with its real bindings (order, reservation and stock objects, queues
 * and their consumers, Postgres through the wsproxy relay).
 *
 * - closed loop: `connections` shoppers each start their next checkout when
 *   the previous one is confirmed: the saturation throughput;
 * - open model: checkouts start at a fixed rate whatever the server does;
 *   latency (create + confirm) is measured from each checkout's scheduled
 *   start, so a server falling behind shows in the percentiles.
 * The hello-world Worker gets the same closed loop and the same offered rate.
 *
 * Two kinds of checkout in the same run: "plain" ships to Oregon (no sales
 * tax) without a code; "tax+promo" ships to California (7.25 % added per
 * line) with a 10 % promotion code (one more round trip for the tax table,
 * the code read with the order's first reads, and its use taken under the
 * code's row lock in the order's transaction).
 *
 * Options: --seconds N (per measurement, default 8), --rate N (open-model
 * checkouts per second, default 5: below the saturation rate, so the
 * percentiles are latency, not queueing), --connections N (default 16),
 * --skus N (SKUs the checkouts spread over, default 16).
 */
import { parseArgs } from "node:util";
import { Agent, request } from "undici";
import { encryptionKeyVar, signingKeysVar } from "../local/identity-keys.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { ADDRESS, OPS_TOKEN, shoppers, stockedSkus } from "./fixtures.ts";
import { type ClosedResult, closedLoop, type OpenResult, openModel } from "./load.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    rate: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
    skus: { type: "string", default: "16" },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const SKUS = Number(args.skus);

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One checkout: create, then confirm. True when the order ends confirmed (200). */
type Variant = { name: string; body: Record<string, unknown> };
const OREGON = { ...ADDRESS, city: "Portland", region: "OR", postalCode: "97204" };
const promoCode = `BENCH-${Date.now().toString(36).toUpperCase()}`;
const VARIANTS: Variant[] = [
  { name: "plain", body: { shippingAddress: OREGON } },
  { name: "tax+promo", body: { shippingAddress: ADDRESS, promotionCode: promoCode } },
];
let variant: Variant = VARIANTS[0]!;

async function checkout(agent: Agent, base: string, token: string, sku: string, statuses: Record<string, number>): Promise<boolean> {
  const auth = { authorization: `Bearer ${token}` };
  try {
    const created = await request(`${base}/api/orders`, {
      method: "POST",
      dispatcher: agent,
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ ...variant.body, lines: [{ sku, quantity: 1 }] }),
    });
    const body = (await created.body.json()) as { id?: string };
    if (created.statusCode !== 201 || !body.id) {
      statuses[`create ${created.statusCode}`] = (statuses[`create ${created.statusCode}`] ?? 0) + 1;
      return false;
    }
    const confirmed = await request(`${base}/api/orders/${body.id}/confirm?paymentMethodId=pm_card_visa`, {
      method: "PUT",
      dispatcher: agent,
      headers: auth,
    });
    await confirmed.body.dump();
    statuses[`confirm ${confirmed.statusCode}`] = (statuses[`confirm ${confirmed.statusCode}`] ?? 0) + 1;
    return confirmed.statusCode === 200;
  } catch {
    statuses.network = (statuses.network ?? 0) + 1;
    return false;
  }
}

async function checkoutsClosed(base: string, tokens: string[], skus: string[], connections: number, seconds: number) {
  const agent = new Agent({ connections, pipelining: 1 });
  const statuses: Record<string, number> = {};
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  let totalMs = 0;
  let n = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const ok = await checkout(agent, base, tokens[c % tokens.length]!, skus[n++ % skus.length]!, statuses);
        totalMs += performance.now() - t0;
        done++;
        if (!ok) errors++;
      }
    }),
  );
  await agent.close();
  return { checkouts: done, errors, perSecond: round(done / seconds), meanMs: round(totalMs / Math.max(1, done)), statuses };
}

async function checkoutsOpen(base: string, tokens: string[], skus: string[], rate: number, seconds: number) {
  const agent = new Agent({ connections: 256, pipelining: 1 });
  const statuses: Record<string, number> = {};
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      checkout(agent, base, tokens[i % tokens.length]!, skus[i % skus.length]!, statuses).then((ok) => {
        latencies.push(performance.now() - scheduled);
        if (!ok) errors++;
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN);
  return {
    rate,
    sent: total,
    errors,
    achievedPerSecond: round(total / elapsed),
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: q(1),
    statuses,
  };
}

async function main(): Promise<void> {
  console.log(
    `checkout bench: ${SECONDS}s per measurement; closed loop with ${CONNECTIONS} shoppers; open model at ${RATE} checkouts/s; ${SKUS} SKUs`,
  );
  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    const vars = {
      ...stack.workerVars,
      APP_ENV: "production",
      LOG_LEVEL: "error",
      OPS_TOKEN,
      JWT_SIGNING_KEYS: signingKeysVar([{ kid: "bench-ed" }]),
      MFA_ENCRYPTION_KEY: encryptionKeyVar(),
    };

    const hello = await startMiniflareHello();
    await closedLoop(hello.url + "/", 4, 1);
    const helloClosed: ClosedResult = await closedLoop(hello.url + "/", CONNECTIONS, SECONDS);
    const helloOpen: OpenResult = await openModel(hello.url + "/", RATE, SECONDS);
    await hello.stop();
    console.log(
      `  hello-world   closed ${helloClosed.rps} req/s (mean ${helloClosed.meanMs} ms)   open@${RATE}/s p50 ${helloOpen.p50} ms p90 ${helloOpen.p90} ms p99 ${helloOpen.p99} ms`,
    );

    const app = await startMiniflareApp(build(), vars);
    try {
      const skus = await stockedSkus(app.url, SKUS);
      const tokens = await shoppers(app.url, Math.min(CONNECTIONS, 8));
      const created = await request(`${app.url}/api/promotions`, {
        method: "POST",
        headers: { authorization: `Bearer ${OPS_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ code: promoCode, kind: "percentage", percentBp: 1000 }),
      });
      if (created.statusCode !== 201) throw new Error(`promotion code not created: ${created.statusCode} ${await created.body.text()}`);
      await created.body.dump();
      const results: Record<
        string,
        { closed: Awaited<ReturnType<typeof checkoutsClosed>>; open: Awaited<ReturnType<typeof checkoutsOpen>> }
      > = {};
      for (const v of VARIANTS) {
        variant = v;
        await checkoutsClosed(app.url, tokens, skus, 4, 2); // warm-up: compile, open connections, wake the objects
        const closed = await checkoutsClosed(app.url, tokens, skus, CONNECTIONS, SECONDS);
        console.log(
          `  checkout ${v.name.padEnd(10)} closed ${closed.perSecond} checkouts/s (${round(closed.perSecond * 2)} req/s, mean ${closed.meanMs} ms per checkout, errors ${closed.errors}) ${JSON.stringify(closed.statuses)}`,
        );
        const open = await checkoutsOpen(app.url, tokens, skus, RATE, SECONDS);
        console.log(
          `  checkout ${v.name.padEnd(10)} open@${RATE}/s p50 ${open.p50} ms p90 ${open.p90} ms p99 ${open.p99} ms max ${open.max} ms (achieved ${open.achievedPerSecond}/s, errors ${open.errors}) ${JSON.stringify(open.statuses)}`,
        );
        results[v.name] = { closed, open };
      }

      console.log("\nratios to the hello-world Worker in this run:");
      for (const [name, { closed, open }] of Object.entries(results)) {
        console.log(
          `  ${name.padEnd(10)} checkouts/s ÷ hello req/s  x${(closed.perSecond / helloClosed.rps).toFixed(4)}   p50 ÷ hello p50 x${(open.p50 / helloOpen.p50).toFixed(0)}   p99 ÷ hello p99 x${(open.p99 / helloOpen.p99).toFixed(0)}`,
        );
      }
      const plain = results.plain!;
      const taxed = results["tax+promo"]!;
      console.log(
        `  tax+promo ÷ plain: throughput x${(taxed.closed.perSecond / plain.closed.perSecond).toFixed(2)}, p99 x${(taxed.open.p99 / plain.open.p99).toFixed(2)}`,
      );
      console.log(
        "\n" +
          JSON.stringify({
            seconds: SECONDS,
            rate: RATE,
            connections: CONNECTIONS,
            skus: SKUS,
            hello: { closed: helloClosed, open: helloOpen },
            checkout: results,
          }),
      );
    } finally {
      await app.stop();
    }
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
