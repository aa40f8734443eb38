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
import type { Database, Tx } from "../../workers/kernel/db.ts";
import type { Env } from "../../workers/kernel/env.ts";
import { readConfig } from "../../workers/kernel/env.ts";
import { failIfInjected } from "../../workers/kernel/faults.ts";
import { errorFields, log } from "../../workers/kernel/log.ts";
import { envelopeSchema, type Envelope } from "../contracts/envelope.ts";
import { findContract } from "../contracts/registry.ts";
import type { ConsumerGroup } from "../routing.ts";

export interface HandlerContext {
  tx: Tx;
  env: Env;
}
export type EventHandler = (event: Envelope, ctx: HandlerContext) => Promise<void>;

/** Handlers by event type; `*` receives every event of the group's topics. */
export type HandlerMap = Record<string, EventHandler[]>;

/** A message that should go straight to the dead-letter queue. */
export interface ParkedMessage {
  /** `key`: the event id when the body has one, else the queue message id. */
  deadLetter: { reason: string; queue: string; key: string };
  body: unknown;
}

const MAX_DELAY_SECONDS = 15 * 60;

export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  if (baseSeconds <= 0) return 0;
  return Math.min(MAX_DELAY_SECONDS, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)));
}

type ParseResult = { ok: true; event: Envelope } | { ok: false; reason: string };

export function parseEvent(body: unknown): ParseResult {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, reason: `not an event envelope: ${envelope.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` };
  const event = envelope.data as Envelope;
  const contract = findContract(event.type, event.version);
  if (contract) {
    const payload = contract.payload.safeParse(event.payload);
    if (!payload.success) return { ok: false, reason: `payload breaks ${event.type}@${event.version}: ${payload.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` };
    return { ok: true, event: { ...event, payload: payload.data } };
  }
  // Unknown types pass through to `*` handlers: a newer producer may be ahead of this consumer.
  return { ok: true, event };
}

/** Runs the handlers for one event exactly once per consumer. Returns false if it was a duplicate. */
export async function processOnce(db: Database, env: Env, group: string, handlers: HandlerMap, event: Envelope): Promise<boolean> {
  const selected = [...(handlers[event.type] ?? []), ...(handlers["*"] ?? [])];
  return db.transaction(async (tx) => {
    const inserted = await tx.execute(sql`
      insert into events.processed_events (consumer, event_id) values (${group}, ${event.id})
      on conflict do nothing returning event_id`);
    if (inserted.rows.length === 0) return false;
    for (const handler of selected) await handler(event, { tx, env });
    return true;
  });
}

export async function consumeBatch(batch: MessageBatch, env: Env, db: Database, group: ConsumerGroup, handlers: HandlerMap): Promise<void> {
  const base = readConfig(env).QUEUE_RETRY_BASE_SECONDS;
  const dlq = env[group.deadLetterProducer] as Queue;
  for (const message of batch.messages) {
    const parsed = parseEvent(message.body);
    if (!parsed.ok) {
      const bodyId = (message.body as { id?: unknown } | null)?.id;
      const key = typeof bodyId === "string" && bodyId.length <= 128 ? bodyId : message.id;
      const parked: ParkedMessage = { deadLetter: { reason: parsed.reason, queue: group.queue, key }, body: message.body };
      try {
        await dlq.send(parked, { contentType: "json" });
        message.ack();
        log.warn("consumer.parked", { group: group.name, messageId: message.id, reason: parsed.reason });
      } catch (err) {
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts, base) });
        log.error("consumer.park_failed", { group: group.name, messageId: message.id, ...errorFields(err) });
      }
      continue;
    }
    const event = parsed.event;
    try {
      await failIfInjected(env, db, `consumer:${group.name}`, event.id);
      const fresh = await processOnce(db, env, group.name, handlers, event);
      message.ack();
      log.info("consumer.processed", { group: group.name, eventId: event.id, type: event.type, duplicate: !fresh, attempts: message.attempts, correlationId: event.correlationId });
    } catch (err) {
      const delaySeconds = retryDelaySeconds(message.attempts, base);
      message.retry({ delaySeconds });
      log.warn("consumer.retry", { group: group.name, eventId: event.id, type: event.type, attempts: message.attempts, delaySeconds, correlationId: event.correlationId, ...errorFields(err) });
    }
  }
}
