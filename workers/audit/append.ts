/**
 * Appends one event to the audit chain inside the consumer's transaction.
 * Appends are serialised by a transaction-scoped advisory lock, so each entry
 * links to the one before it even when batches are consumed concurrently.
 *
 * A consumer batch is one transaction: its first append takes the lock and
 * reads the chain's end (two round trips); while the lock is held nobody
 * else can append, so the batch's later appends link to what this
 * transaction wrote last and cost one insert each.
 */
import { sql } from "drizzle-orm";
import { auditEntries } from "../../db/schema/audit.ts";
import type { Tx } from "../platform/db.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { type ChainedFields, entryHash, GENESIS_HASH } from "./chain.ts";
import { redactPersonalData } from "./redact.ts";

/** The advisory lock key of the audit chain (any constant unique in this database). */
const CHAIN_LOCK = 0x4175_6469;

interface Link {
  prevHash: string;
  seq: number;
}

/** The chain's end as this transaction last wrote it (only transactions that hold the lock are here). */
const chainEnds = new WeakMap<Tx, Link>();

/**
 * The next entry's link: the last entry's hash and sequence number plus one,
 * or the last checkpoint's when retention removed every entry. Numbers have
 * no gaps (a sequence would leave one per rolled-back append). One round
 * trip, taken under the chain lock.
 */
async function readChainEnd(tx: Tx): Promise<Link> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  // The checkpoint only when no entry is left: a row anyone could insert there must not move the chain's end.
  const r = await tx.execute<{ hash: string; seq: string }>(sql`
    (select hash, seq, 0 as rank from audit.entries order by seq desc limit 1)
    union all
    (select hash, seq, 1 as rank from audit.checkpoints order by seq desc limit 1)
    order by rank limit 1`);
  const end = r.rows[0];
  return end ? { prevHash: end.hash, seq: Number(end.seq) + 1 } : { prevHash: GENESIS_HASH, seq: 1 };
}

export async function appendAuditEntry(tx: Tx, event: Envelope): Promise<void> {
  const { prevHash, seq } = chainEnds.get(tx) ?? (await readChainEnd(tx));
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
  chainEnds.set(tx, { prevHash: hash, seq: seq + 1 });
}
