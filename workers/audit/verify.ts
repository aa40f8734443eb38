/**
 * Recomputes the audit chain. Entries after the latest valid checkpoint must
 * form an unbroken chain starting at the checkpoint's hash; entries it
 * already covers (some of which retention may have removed) must each still
 * hash to their stored value. The first broken link is reported.
 */
import { and, asc, gt, gte, lte, sql } from "drizzle-orm";
import { auditEntries } from "../../db/schema/audit.ts";
import type { Database } from "../platform/db.ts";
import { entryHash, GENESIS_HASH } from "./chain.ts";
import { latestValidCheckpoint } from "./checkpoints.ts";

export interface BrokenLink {
  seq: number;
  eventId: string;
  reason: "content-changed" | "link-broken";
  expected: string;
  found: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  fromSeq: number | null;
  toSeq: number | null;
  headHash: string | null;
  anchor: { kind: "genesis" | "checkpoint"; seq: number | null; hash: string };
  firstBroken: BrokenLink | null;
}

const PAGE = 2000;

export async function verifyChain(
  db: Database,
  checkpointKey: string,
  range: { fromSeq?: number; toSeq?: number } = {},
): Promise<VerifyResult> {
  const checkpoint = await latestValidCheckpoint(db, checkpointKey);
  const anchor = checkpoint
    ? { kind: "checkpoint" as const, seq: checkpoint.seq, hash: checkpoint.hash }
    : { kind: "genesis" as const, seq: null, hash: GENESIS_HASH };
  const coveredUpTo = checkpoint?.seq ?? 0;

  // Where linking starts: the entry before `fromSeq` when it lies past the checkpoint, else the anchor.
  let expectedPrev = anchor.hash;
  if (range.fromSeq !== undefined && range.fromSeq > coveredUpTo + 1) {
    const before = await db.execute<{ hash: string }>(
      sql`select hash from audit.entries where seq < ${range.fromSeq} and seq > ${coveredUpTo} order by seq desc limit 1`,
    );
    if (before.rows[0]) expectedPrev = before.rows[0].hash;
  }

  const result: VerifyResult = { ok: true, checked: 0, fromSeq: null, toSeq: null, headHash: null, anchor, firstBroken: null };
  let after = (range.fromSeq ?? 1) - 1;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEntries)
      .where(
        and(
          gt(auditEntries.seq, after),
          range.toSeq !== undefined ? lte(auditEntries.seq, range.toSeq) : undefined,
          range.fromSeq !== undefined ? gte(auditEntries.seq, range.fromSeq) : undefined,
        ),
      )
      .orderBy(asc(auditEntries.seq))
      .limit(PAGE);
    for (const row of rows) {
      result.fromSeq ??= row.seq;
      result.toSeq = row.seq;
      result.checked++;
      const { prevHash, hash, ...fields } = row;
      const recomputed = await entryHash(prevHash, { ...fields, payload: row.payload });
      if (recomputed !== hash)
        return broken(result, { seq: row.seq, eventId: row.eventId, reason: "content-changed", expected: recomputed, found: hash });
      if (row.seq > coveredUpTo) {
        if (prevHash !== expectedPrev)
          return broken(result, { seq: row.seq, eventId: row.eventId, reason: "link-broken", expected: expectedPrev, found: prevHash });
        expectedPrev = hash;
      }
      result.headHash = hash;
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.seq;
  }
  return result;
}

function broken(result: VerifyResult, link: BrokenLink): VerifyResult {
  return { ...result, ok: false, firstBroken: link };
}
