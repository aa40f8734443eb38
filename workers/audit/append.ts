/**
 * Appends one event to the audit chain inside the consumer's transaction.
 * Appends are serialised by a transaction-scoped advisory lock, so each entry
 * links to the one before it even when batches are consumed concurrently.
 */
import { sql } from "drizzle-orm";
import { auditEntries } from "../../db/schema/audit.ts";
import type { Tx } from "../platform/db.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { type ChainedFields, entryHash, GENESIS_HASH } from "./chain.ts";
import { redactPersonalData } from "./redact.ts";

/** The advisory lock key of the audit chain (any constant unique in this database). */
const CHAIN_LOCK = 0x4175_6469;

/**
 * The next entry's sequence number, and the hash it links to: the last
 * entry's, or the last checkpoint's when retention removed every entry.
 * One round trip, taken under the chain lock.
 */
async function nextLink(tx: Tx): Promise<{ prevHash: string; seq: number }> {
  const r = await tx.execute<{ hash: string | null; seq: string }>(sql`
    select coalesce(
      (select hash from audit.entries order by seq desc limit 1),
      (select hash from audit.checkpoints order by seq desc limit 1)) as hash,
      nextval(pg_get_serial_sequence('audit.entries', 'seq')) as seq`);
  return { prevHash: r.rows[0]?.hash ?? GENESIS_HASH, seq: Number(r.rows[0]!.seq) };
}

export async function appendAuditEntry(tx: Tx, event: Envelope): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const { prevHash, seq } = await nextLink(tx);
  const fields: ChainedFields = {
    seq,
    eventId: event.id,
    type: event.type,
    version: event.version,
    topic: event.topic,
    source: event.source,
    subjectType: event.topic,
    subjectId: event.subjectId,
    actorType: event.actor?.type ?? null,
    actorId: event.actor?.id ?? null,
    correlationId: event.correlationId,
    occurredAt: new Date(event.occurredAt).toISOString(),
    recordedAt: new Date().toISOString(),
    payload: redactPersonalData(event.payload) ?? null,
  };
  const hash = await entryHash(prevHash, fields);
  await tx.insert(auditEntries).values({ ...fields, prevHash, hash });
}
