/**
 * The consumer framework. For each message of a batch it validates the
 * envelope against the contract registry, then runs the group's handlers in
 * one transaction together with the insert of a processed-event record, so
 * an effect happens once per consumer however often the event is delivered.
 *
 * - a message that is not a valid event (poison) is parked in the group's
 *   dead-letter queue at once: retrying cannot fix it;
 * - a handler that throws is retried with exponential backoff; after the
 *   queue's max_retries the platform moves it to the dead-letter queue.
 */
import { sql } from "drizzle-orm";
import { platformConfig } from "../workers/platform/config.ts";
import type { Database, Tx } from "../workers/platform/db.ts";
import { isDatabaseUnavailable } from "../workers/platform/db-errors.ts";
import { findContract } from "../workers/platform/event-contracts.ts";
import { type Envelope, envelopeSchema } from "../workers/platform/event-envelope.ts";
import type { HandlerMap } from "../workers/platform/event-handlers.ts";
import { failIfInjected } from "../workers/platform/faults.ts";
import { errorFields, log } from "../workers/platform/log.ts";
import { counter, histogram } from "../workers/platform/metrics.ts";
import type { Runtime } from "../workers/platform/runtime.ts";
import { startBatchTrace } from "../workers/platform/tracing/consumer-tracing.ts";
import { endSpan, type Span } from "../workers/platform/tracing/span.ts";
import { carryTraceparent } from "../workers/platform/tracing/trace-carrier.ts";
import { tracingSettings } from "../workers/platform/tracing-config.ts";
import type { ConsumerGroup } from "./routing.ts";

/** A message that should go straight to the dead-letter queue. */
export interface ParkedMessage {
  /** `key`: the event id when the body has one, else the queue message id. */
  deadLetter: { reason: string; queue: string; key: string };
  body: unknown;
}

const MAX_DELAY_SECONDS = 15 * 60;

export const consumerMessagesTotal = counter(
  "consumer_messages_total",
  "Queue messages by consumer group and outcome (processed, duplicate, retried, parked)",
);
const consumerLag = histogram(
  "consumer_lag_seconds",
  "Seconds from an event's occurrence to its processing, by consumer group",
  [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
);

export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  if (baseSeconds <= 0) return 0;
  return Math.min(MAX_DELAY_SECONDS, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)));
}

type ParseResult = { ok: true; event: Envelope } | { ok: false; reason: string };

export function parseEvent(body: unknown): ParseResult {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success)
    return {
      ok: false,
      reason: `not an event envelope: ${envelope.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    };
  const event = envelope.data as Envelope;
  const contract = findContract(event.type, event.version);
  if (contract) {
    const payload = contract.payload.safeParse(event.payload);
    if (!payload.success)
      return {
        ok: false,
        reason: `payload breaks ${event.type}@${event.version}: ${payload.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
      };
    return { ok: true, event: { ...event, payload: payload.data } };
  }
  // Unknown types pass through to `*` handlers: a newer producer may be ahead of this consumer.
  return { ok: true, event };
}

/**
 * The effect of one event for one consumer, inside `tx`: the processed-event
 * record and the handlers commit or roll back together. Returns false for a
 * duplicate (already processed), which runs no handler.
 */
async function applyOnce(tx: Tx, rt: Runtime, group: string, handlers: HandlerMap, event: Envelope): Promise<boolean> {
  const inserted = await tx.execute(sql`
    insert into events.processed_events (consumer, event_id) values (${group}, ${event.id})
    on conflict do nothing returning event_id`);
  if (inserted.rows.length === 0) return false;
  await runHandlers(tx, rt, handlers, event);
  return true;
}

/** The event's handlers, in order; the events they write continue the event's trace (tracing/trace-carrier.ts). */
async function runHandlers(tx: Tx, rt: Runtime, handlers: HandlerMap, event: Envelope): Promise<void> {
  carryTraceparent(tx, event.traceparent);
  for (const handler of [...(handlers[event.type] ?? []), ...(handlers["*"] ?? [])]) await handler(event, { tx, rt });
}

type Outcome = { ok: true; fresh: boolean } | { ok: false; error: unknown };

/**
 * A batch's events in one transaction. The fast path records every event as
 * processed with one statement and runs the handlers of the new ones; one
 * commit covers the batch. If anything fails, the batch is rolled back and
 * run again with a savepoint per event, so a failing event rolls back only
 * its own effect and is retried alone while the others are kept.
 */
async function applyBatch(db: Database, rt: Runtime, group: string, handlers: HandlerMap, events: Envelope[]): Promise<Outcome[]> {
  try {
    return await db.transaction(async (tx) => {
      const ids = events.map((e) => e.id);
      const inserted = await tx.execute<{ event_id: string }>(sql`
        insert into events.processed_events (consumer, event_id)
        select ${group}, id from unnest(${sql.param(ids)}::text[]) as id
        on conflict do nothing returning event_id`);
      const fresh = new Set(inserted.rows.map((r) => r.event_id));
      const seen = new Set<string>();
      const outcomes: Outcome[] = [];
      for (const event of events) {
        // A batch may carry the same event twice: only its first copy is fresh.
        const isFresh = fresh.has(event.id) && !seen.has(event.id);
        seen.add(event.id);
        if (isFresh) await runHandlers(tx, rt, handlers, event);
        outcomes.push({ ok: true, fresh: isFresh });
      }
      return outcomes;
    });
  } catch {
    return applyEach(db, rt, group, handlers, events);
  }
}

async function applyEach(db: Database, rt: Runtime, group: string, handlers: HandlerMap, events: Envelope[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  try {
    await db.transaction(async (tx) => {
      for (const event of events) {
        try {
          outcomes.push({ ok: true, fresh: await tx.transaction((sp) => applyOnce(sp, rt, group, handlers, event)) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
    return outcomes;
  } catch (error) {
    return events.map(() => ({ ok: false, error }));
  }
}

export async function consumeBatch(
  batch: MessageBatch,
  rt: Runtime,
  db: Database,
  group: ConsumerGroup,
  handlers: HandlerMap,
): Promise<void> {
  const settings = platformConfig.read(rt);
  const base = settings.QUEUE_RETRY_BASE_SECONDS;
  const dlq = (body: unknown) => rt.queues.send(group.deadLetterProducer, body);
  const valid: { message: Message; event: Envelope }[] = [];
  // Tracing on: a consumer span per event, in the trace of the request that emitted it (tracing/consumer-tracing.ts).
  const tracingOn = tracingSettings(rt);
  const tracing = tracingOn && startBatchTrace(rt, tracingOn);
  const spans = new Map<Message, Span | null>();
  const retry = (message: Message, event: Envelope, err: unknown) => {
    endSpan(spans.get(message) ?? null, err);
    // A database outage is waited out, not retried at once: the attempts before the dead-letter queue are few.
    const backoff = retryDelaySeconds(message.attempts, base);
    const delaySeconds = isDatabaseUnavailable(err) ? Math.max(backoff, settings.DATABASE_RETRY_AFTER_SECONDS) : backoff;
    message.retry({ delaySeconds });
    consumerMessagesTotal.inc({ group: group.name, outcome: "retried" });
    log.warn("consumer.retry", {
      group: group.name,
      eventId: event.id,
      type: event.type,
      attempts: message.attempts,
      delaySeconds,
      correlationId: event.correlationId,
      ...errorFields(err),
    });
  };

  for (const message of batch.messages) {
    const parsed = parseEvent(message.body);
    if (!parsed.ok) {
      await park(message, parsed.reason, group, dlq, base);
      continue;
    }
    if (tracing) spans.set(message, tracing.messageSpan(parsed.event, group.queue, group.name, message.attempts));
    try {
      await failIfInjected(rt, db, `consumer:${group.name}`, parsed.event.id);
      valid.push({ message, event: parsed.event });
    } catch (err) {
      retry(message, parsed.event, err);
    }
  }
  if (valid.length === 0) {
    tracing?.finish();
    return;
  }

  const outcomes = await applyBatch(
    db,
    rt,
    group.name,
    handlers,
    valid.map((v) => v.event),
  );
  for (const [i, { message, event }] of valid.entries()) {
    const outcome = outcomes[i]!;
    if (!outcome.ok) {
      retry(message, event, outcome.error);
      continue;
    }
    message.ack();
    const span = spans.get(message);
    if (span) {
      span.attributes["consumer.duplicate"] = !outcome.fresh;
      endSpan(span);
    }
    consumerMessagesTotal.inc({ group: group.name, outcome: outcome.fresh ? "processed" : "duplicate" });
    if (outcome.fresh) consumerLag.observe({ group: group.name }, Math.max(0, (Date.now() - new Date(event.occurredAt).getTime()) / 1000));
    log.info("consumer.processed", {
      group: group.name,
      eventId: event.id,
      type: event.type,
      duplicate: !outcome.fresh,
      attempts: message.attempts,
      correlationId: event.correlationId,
    });
  }
  tracing?.finish();
}

/** A message that is not a valid event goes to the dead-letter queue at once: retrying cannot fix it. */
async function park(
  message: Message,
  reason: string,
  group: ConsumerGroup,
  dlq: (body: unknown) => Promise<void>,
  base: number,
): Promise<void> {
  const bodyId = (message.body as { id?: unknown } | null)?.id;
  const key = typeof bodyId === "string" && bodyId.length <= 128 ? bodyId : message.id;
  const parked: ParkedMessage = { deadLetter: { reason, queue: group.queue, key }, body: message.body };
  try {
    await dlq(parked);
    message.ack();
    consumerMessagesTotal.inc({ group: group.name, outcome: "parked" });
    log.warn("consumer.parked", { group: group.name, messageId: message.id, reason });
  } catch (err) {
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts, base) });
    log.error("consumer.park_failed", { group: group.name, messageId: message.id, ...errorFields(err) });
  }
}
