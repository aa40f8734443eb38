/**
 * The delivery records: one per (source, channel, recipient), keyed by the
 * idempotency key. A send first claims its record (a lease while in flight),
 * then records the outcome with the provider attempts behind it (and, for
 * a push, that its subscription still works) in one statement. These
 * writes commit on their own, not with the consumer's transaction: a message
 * that left must stay recorded as sent even if the event's handling is
 * rolled back and retried, or the retry would send it again.
 */
import { and, desc, eq, inArray, lt, ne, type SQL, sql } from "drizzle-orm";
import { type DeliveryStatus, deliveries, deliveryAttempts } from "../../db/schema/notifications.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import type { Outgoing, Skipped } from "./compose.ts";
import { DeliveryId } from "./schemas.ts";
import type { Channel } from "./templates/catalog.ts";

export type DeliveryRow = typeof deliveries.$inferSelect;

/** Long enough for every provider of a chain to time out once. */
const LEASE = sql`now() + interval '2 minutes'`;

function base(m: Outgoing | Skipped) {
  return {
    idempotencyKey: m.key,
    sourceId: m.source.id,
    sourceType: m.source.type,
    template: m.template,
    category: m.category,
    locale: m.locale,
    channel: m.channel,
    userId: m.userId,
    recipientMasked: m.recipient.masked,
    recipientHash: m.recipient.hash,
  };
}

/** Records messages decided against; returns each one's record id by idempotency key. */
export async function recordSkipped(db: Queryable, items: Skipped[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (items.length === 0) return ids;
  const inserted = await db
    .insert(deliveries)
    .values(items.map((s) => ({ id: newId("ntf"), ...base(s), subject: null, status: "skipped" as const, skipReason: s.reason })))
    .onConflictDoNothing({ target: deliveries.idempotencyKey })
    .returning({ id: deliveries.id, key: deliveries.idempotencyKey });
  for (const r of inserted) ids.set(r.key, r.id);
  const missing = items.map((s) => s.key).filter((k) => !ids.has(k));
  if (missing.length > 0) {
    for (const r of await db
      .select({ id: deliveries.id, key: deliveries.idempotencyKey })
      .from(deliveries)
      .where(inArray(deliveries.idempotencyKey, missing)))
      ids.set(r.key, r.id);
  }
  return ids;
}

export type Claim = { claimed: true; row: DeliveryRow } | { claimed: false; row: DeliveryRow };

/**
 * Takes the record for sending: creates it, or takes over one whose last
 * attempt failed or whose sender's lease lapsed. A record already sent (or
 * skipped, bounced...) or in flight elsewhere is returned unclaimed.
 */
export async function claim(db: Queryable, m: Outgoing): Promise<Claim> {
  const [row] = await db
    .insert(deliveries)
    .values({ id: newId("ntf"), ...base(m), subject: m.subject, status: "queued", attempts: 1, claimedUntil: LEASE })
    .onConflictDoUpdate({
      target: deliveries.idempotencyKey,
      set: {
        status: "queued",
        attempts: sql`${deliveries.attempts} + 1`,
        claimedUntil: LEASE,
        subject: m.subject,
        locale: m.locale,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${deliveries.status} = 'failed' or (${deliveries.status} = 'queued' and (${deliveries.claimedUntil} is null or ${deliveries.claimedUntil} < now()))`,
    })
    .returning();
  if (row) return { claimed: true, row };
  const [existing] = await db.select().from(deliveries).where(eq(deliveries.idempotencyKey, m.key));
  return { claimed: false, row: existing! };
}

export interface AttemptLog {
  provider: string;
  outcome: "sent" | "failed";
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

function attemptRows(deliveryId: string, attempt: number, logs: AttemptLog[]): SQL {
  // Ids sort by time; a millisecond apart, they also keep the order of calls made within the same millisecond.
  const base = Date.now();
  return sql.join(
    logs.map(
      (l, i) =>
        sql`(${newId("nat", base + i)}, ${deliveryId}, ${attempt}, ${l.provider}, ${l.outcome}, ${l.httpStatus}, ${l.error}, ${l.durationMs})`,
    ),
    sql`, `,
  );
}

/** The outcome of one claimed attempt and its provider calls, in one statement. */
export async function finishAttempt(
  db: Queryable,
  row: DeliveryRow,
  logs: AttemptLog[],
  outcome:
    | { status: "sent"; provider: string; providerMessageId: string | null; idempotent: boolean; pushEndpoint?: string }
    | { status: "failed"; error: string },
): Promise<void> {
  const insertAttempts = logs.length
    ? sql`, logged as (insert into notifications.delivery_attempts (id, delivery_id, attempt, provider, outcome, http_status, error, duration_ms) values ${attemptRows(row.id, row.attempts, logs)})`
    : sql``;
  const touchSubscription =
    outcome.status === "sent" && outcome.pushEndpoint
      ? sql`, pushed as (update notifications.push_subscriptions set last_success_at = now() where endpoint = ${outcome.pushEndpoint})`
      : sql``;
  const set =
    outcome.status === "sent"
      ? sql`status = 'sent', provider = ${outcome.provider}, provider_message_id = ${outcome.providerMessageId}, provider_idempotent = ${outcome.idempotent}, sent_at = now(), last_error = null`
      : sql`status = 'failed', last_error = ${outcome.error.slice(0, 1000)}`;
  await db.execute(sql`with noop as (select 1)${insertAttempts}${touchSubscription}
    update notifications.deliveries set ${set}, claimed_until = null, updated_at = now()
    where id = ${row.id} and status = 'queued'`);
}

export async function findDelivery(db: Queryable, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return row;
}

export async function listAttempts(db: Queryable, deliveryId: string) {
  return db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId)).orderBy(deliveryAttempts.id);
}

/** A user's messages, newest first; the cursor's key is the last message's id. */
const DELIVERIES_SORT = "notifications:newest";

export async function listDeliveries(
  db: Queryable,
  filter: { userId: string; channel?: Channel; status?: DeliveryStatus; limit: number; cursor?: string },
) {
  const [before] = filter.cursor ? decodeCursor(filter.cursor, DELIVERIES_SORT, [DeliveryId]) : [];
  const rows = await db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.userId, filter.userId),
        filter.channel ? eq(deliveries.channel, filter.channel) : undefined,
        // Skipped records explain why nothing was sent; they are listed only when asked for.
        filter.status ? eq(deliveries.status, filter.status) : ne(deliveries.status, "skipped"),
        before !== undefined ? lt(deliveries.id, before) : undefined,
      ),
    )
    .orderBy(desc(deliveries.id))
    .limit(filter.limit + 1);
  const { page, nextCursor } = keysetPage(rows, filter.limit, DELIVERIES_SORT, (r) => [r.id]);
  return { items: page, nextCursor };
}
