/**
 * `npx tsx scripts/bench/consumers.ts [--events N] [--entries N]`:
 * - events per second through each consumer group: a burst of N events is
 *   enqueued on the group's queue of the Worker served by Miniflare, and the
 *   clock stops when the group has processed all of them;
 * - audit verification time for a chain of `--entries` entries (default
 *   100,000), built directly in Postgres and verified through the API.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { type ChainedFields, entryHash, GENESIS_HASH } from "../../workers/audit/chain.ts";
import { newId } from "../../workers/platform/ids.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { build, startMiniflareApp } from "./runtime.ts";

const { values: args } = parseArgs({
  options: { events: { type: "string", default: "2000" }, entries: { type: "string", default: "100000" } },
});
const EVENTS = Number(args.events);
const ENTRIES = Number(args.entries);
const OPS = "bench-ops-token-0123456789abcdef";
const AUDIT_KEY = "bench-audit-checkpoint-key-0123456789abcdef";

function probe(i: number) {
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
}

async function waitProcessed(db: pg.Client, consumer: string, ids: string[], started: number): Promise<number> {
  for (;;) {
    const r = await db.query<{ n: number }>(
      "select count(*)::int as n from events.processed_events where consumer = $1 and event_id = any($2)",
      [consumer, ids],
    );
    if (r.rows[0]!.n >= ids.length) return performance.now() - started;
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function buildChain(db: pg.Client, n: number): Promise<void> {
  let prev = GENESIS_HASH;
  const base = Number((await db.query<{ s: string }>("select coalesce(max(seq), 0) as s from audit.entries")).rows[0]!.s);
  if (base > 0) prev = (await db.query<{ hash: string }>("select hash from audit.entries order by seq desc limit 1")).rows[0]!.hash;
  const rows: unknown[][] = [];
  for (let i = 1; i <= n; i++) {
    const id = newId("evt");
    const f: ChainedFields = {
      seq: base + i,
      eventId: id,
      type: "BenchProbe",
      version: 1,
      topic: "order",
      source: "bench",
      subjectType: "order",
      subjectId: `ord_${i}`,
      actorType: null,
      actorId: null,
      correlationId: id,
      occurredAt: new Date().toISOString(),
      recordedAt: new Date().toISOString(),
      payload: { i, note: "x".repeat(40) },
    };
    const hash = await entryHash(prev, f);
    rows.push([
      f.seq,
      f.eventId,
      f.type,
      f.version,
      f.topic,
      f.source,
      f.subjectType,
      f.subjectId,
      f.correlationId,
      f.occurredAt,
      f.recordedAt,
      JSON.stringify(f.payload),
      prev,
      hash,
    ]);
    prev = hash;
  }
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = chunk.map((_, r) => `(${Array.from({ length: 14 }, (_, c) => `$${r * 14 + c + 1}`).join(",")})`).join(",");
    await db.query(
      `insert into audit.entries (seq, event_id, type, version, topic, source, subject_type, subject_id, correlation_id, occurred_at, recorded_at, payload, prev_hash, hash) values ${values}`,
      chunk.flat(),
    );
  }
  await db.query("select setval(pg_get_serial_sequence('audit.entries', 'seq'), (select max(seq) from audit.entries))");
}

async function main(): Promise<void> {
  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    const app = await startMiniflareApp(build(), {
      ...stack.workerVars,
      APP_ENV: "production",
      OPS_TOKEN: OPS,
      AUDIT_CHECKPOINT_KEY: AUDIT_KEY,
      LOG_LEVEL: "warn",
    });
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      console.log(`consumer throughput: a burst of ${EVENTS} events per group`);
      // The probe type has no contract: audit records it as it would any event, notifications ignore it.
      // The pipeline would quarantine it, so its throughput is measured with real events by scripts/bench/analytics.ts.
      for (const [group, binding] of [
        ["audit", "Q_AUDIT"],
        ["notifications", "Q_NOTIFICATIONS"],
      ] as const) {
        const queue = await app.mf.getQueueProducer(binding);
        const events = Array.from({ length: EVENTS }, (_, i) => probe(i));
        const started = performance.now();
        for (let i = 0; i < events.length; i += 100)
          await queue.sendBatch(events.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const })));
        const ms = await waitProcessed(
          db,
          group,
          events.map((e) => e.id),
          started,
        );
        console.log(
          `  ${group.padEnd(10)} ${EVENTS} events drained in ${(ms / 1000).toFixed(2)} s: ${Math.round(EVENTS / (ms / 1000))} events/s`,
        );
      }

      console.log(`audit verification: building a chain of ${ENTRIES} entries`);
      await buildChain(db, ENTRIES);
      const total = Number((await db.query<{ n: string }>("select count(*) as n from audit.entries")).rows[0]!.n);
      const t0 = performance.now();
      const res = await fetch(`${app.url}/api/audit/verify`, {
        method: "POST",
        headers: { authorization: `Bearer ${OPS}`, "content-type": "application/json" },
        body: "{}",
      });
      const body = (await res.json()) as { ok: boolean; checked: number };
      const ms = performance.now() - t0;
      console.log(
        `  verified ${body.checked} of ${total} entries (ok: ${body.ok}) in ${(ms / 1000).toFixed(2)} s: ${(((ms / body.checked) * 100_000) / 1000).toFixed(2)} s per 100,000 entries`,
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
