/**
 * `npx tsx scripts/bench/notifications.ts [--events N] [--users N]`:
 * events per second through the notifications consumer doing its real work.
 *
 * A burst of N OrderConfirmed events for N distinct accounts (half with a
 * phone and the SMS opt-in, a third with a push subscription, English and
 * German) is enqueued on the notifications queue of the Worker served by
 * Miniflare; the clock stops when the group has processed all of them. Each
 * event reads the account, renders every channel's message, claims and
 * completes a delivery record per message on its own connection and "sends"
 * through the capture provider (so no provider latency is included).
 *
 * Baselines measured in the same run: the same burst of events the group has
 * no handler for (the consumer framework alone), and the hello-world Worker
 * (closed loop), to state one event's cost in hello-world requests.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { OrderConfirmed } from "../../queues/contracts/events/order.ts";
import { buildEvent } from "../../workers/platform/event-contracts.ts";
import { newId } from "../../workers/platform/ids.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { closedLoop } from "./load.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({ options: { events: { type: "string", default: "1000" } } });
const EVENTS = Number(args.events);

type Body = { id: string };

async function seedAccounts(db: pg.Client, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 500) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(n, start + 500); i++) {
      const id = newId("usr");
      ids.push(id);
      const sms = i % 2 === 0;
      rows.push([
        id,
        `bench-${id.toLowerCase()}@bench.example`,
        `Bench User ${i}`,
        i % 3 === 0 ? "de" : "en",
        sms ? `+1555${String(i).padStart(7, "0")}` : null,
        JSON.stringify({ orderUpdates: true, marketingEmails: false, productRecommendations: false, sms }),
      ]);
    }
    const values = rows
      .map((_, r) => `($${r * 6 + 1}, $${r * 6 + 2}, $${r * 6 + 3}, $${r * 6 + 4}, $${r * 6 + 5}, $${r * 6 + 6}::jsonb)`)
      .join(",");
    await db.query(`insert into users.users (id, email, name, locale, phone, notification_preferences) values ${values}`, rows.flat());
  }
  // A third of the accounts have a browser subscribed to push (keys are not used by the capture provider).
  const subscribed = ids.filter((_, i) => i % 3 === 0);
  for (let i = 0; i < subscribed.length; i += 500) {
    const chunk = subscribed.slice(i, i + 500);
    const values = chunk
      .map(
        (_, r) =>
          `($${r * 2 + 1}, $${r * 2 + 2}, 'https://fcm.googleapis.com/fcm/send/' || $${r * 2 + 1}, 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4', 'BTBZMqHH6r4Tts7J_aSIgg')`,
      )
      .join(",");
    await db.query(
      `insert into notifications.push_subscriptions (id, user_id, endpoint, p256dh, auth) values ${values}`,
      chunk.flatMap((u) => [newId("psub"), u]),
    );
  }
  return ids;
}

async function waitProcessed(db: pg.Client, ids: string[], started: number): Promise<number> {
  for (;;) {
    const r = await db.query<{ n: number }>(
      "select count(*)::int as n from events.processed_events where consumer = 'notifications' and event_id = any($1)",
      [ids],
    );
    if (r.rows[0]!.n >= ids.length) return performance.now() - started;
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function burst(
  queue: { sendBatch(messages: { body: unknown; contentType: "json" }[]): Promise<unknown> },
  db: pg.Client,
  bodies: Body[],
): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < bodies.length; i += 100)
    await queue.sendBatch(bodies.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const })));
  const ms = await waitProcessed(
    db,
    bodies.map((b) => b.id),
    started,
  );
  return bodies.length / (ms / 1000);
}

async function main(): Promise<void> {
  console.log(`notifications consumer: bursts of ${EVENTS} events`);
  const hello = await startMiniflareHello();
  await closedLoop(hello.url + "/", 4, 1);
  const helloRps = (await closedLoop(hello.url + "/", 32, 5)).rps;
  await hello.stop();
  console.log(`  hello-world Worker (closed loop, 32 connections): ${helloRps} requests/s`);

  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    const app = await startMiniflareApp(build(), {
      ...stack.workerVars,
      APP_ENV: "production",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    });
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const users = await seedAccounts(db, EVENTS);
      const queue = await app.mf.getQueueProducer("Q_NOTIFICATIONS");

      const probes: Body[] = Array.from({ length: EVENTS }, (_, i) => {
        const id = newId("evt");
        return {
          id,
          type: "BenchProbe",
          version: 1,
          topic: "order",
          occurredAt: new Date().toISOString(),
          source: "bench",
          subjectId: `ord_${i}`,
          correlationId: id,
          actor: null,
          payload: { i },
        };
      });
      const frameworkOnly = await burst(queue, db, probes);
      console.log(`  framework only (no handler for the type): ${Math.round(frameworkOnly)} events/s`);

      const orders: Body[] = users.map((userId, i) =>
        buildEvent(OrderConfirmed, {
          subjectId: userId,
          source: "bench",
          correlationId: newId("req"),
          payload: {
            orderId: newId("ord"),
            orderNumber: `EC-B${String(i).padStart(6, "0")}`,
            userId,
            totalMinor: 1999 + i,
            currency: "EUR",
          },
        }),
      );
      const started = performance.now();
      const real = await burst(queue, db, orders);
      const seconds = (performance.now() - started) / 1000;
      const counts = await db.query<{ status: string; channel: string; n: number }>(
        "select status, channel, count(*)::int as n from notifications.deliveries where source_id = any($1) group by status, channel order by channel, status",
        [orders.map((o) => o.id)],
      );
      const messages = counts.rows.filter((r) => r.status === "sent").reduce((n, r) => n + r.n, 0);
      console.log(
        `  OrderConfirmed (mail + SMS + push as preferences allow): ${Math.round(real)} events/s, ${Math.round(messages / seconds)} messages/s`,
      );
      console.log(`    deliveries: ${counts.rows.map((r) => `${r.channel} ${r.status} ${r.n}`).join(", ")}`);
      console.log(
        `  ratios: ${(real / frameworkOnly).toFixed(3)} x the framework alone; one event costs ${(helloRps / real).toFixed(1)} hello-world requests (${(real / helloRps).toFixed(4)} x hello rps)`,
      );
    } finally {
      await db.end();
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
