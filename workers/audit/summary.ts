/**
 * The audit trail summarised for a period, for the reports family's
 * compliance report: how many events were recorded, of which types, from
 * which families and by which kind of actor, per day, and the signed
 * checkpoints of the chain made in the period (the daily verification
 * records one after every successful check). Counts only: no payload, no
 * actor id.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";

export interface AuditSummary {
  totals: { entries: number; types: number; firstSeq: number | null; lastSeq: number | null };
  byType: { type: string; source: string; entries: number }[];
  byActor: { actorType: string; entries: number }[];
  perDay: { day: string; entries: number }[];
  checkpoints: { createdAt: string; seq: number; entriesVerified: number }[];
}

const n = (v: unknown) => Number(v ?? 0);

export async function auditSummary(db: Queryable, period: { from: Date; to: Date }): Promise<AuditSummary> {
  const inPeriod = sql`occurred_at >= ${period.from.toISOString()}::timestamptz and occurred_at < ${period.to.toISOString()}::timestamptz`;
  const totals = await db.execute<{ entries: string; types: string; first: string | null; last: string | null }>(sql`
    select count(*) as entries, count(distinct type) as types, min(seq) as first, max(seq) as last from audit.entries where ${inPeriod}`);
  const byType = await db.execute<{ type: string; source: string; entries: string }>(sql`
    select type, source, count(*) as entries from audit.entries where ${inPeriod} group by type, source order by count(*) desc, type, source`);
  const byActor = await db.execute<{ actor: string; entries: string }>(sql`
    select coalesce(actor_type, '(none)') as actor, count(*) as entries from audit.entries where ${inPeriod} group by 1 order by 2 desc, 1`);
  const perDay = await db.execute<{ day: string; entries: string }>(sql`
    select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as entries from audit.entries where ${inPeriod} group by 1 order by 1`);
  const checkpoints = await db.execute<{ created_at: string | Date; seq: string; entries_verified: string }>(sql`
    select created_at, seq, entries_verified from audit.checkpoints
    where created_at >= ${period.from.toISOString()}::timestamptz and created_at < ${period.to.toISOString()}::timestamptz order by seq`);
  const t = totals.rows[0]!;
  return {
    totals: {
      entries: n(t.entries),
      types: n(t.types),
      firstSeq: t.first === null ? null : n(t.first),
      lastSeq: t.last === null ? null : n(t.last),
    },
    byType: byType.rows.map((r) => ({ type: r.type, source: r.source, entries: n(r.entries) })),
    byActor: byActor.rows.map((r) => ({ actorType: r.actor, entries: n(r.entries) })),
    perDay: perDay.rows.map((r) => ({ day: r.day, entries: n(r.entries) })),
    checkpoints: checkpoints.rows.map((r) => ({
      createdAt: new Date(r.created_at).toISOString(),
      seq: n(r.seq),
      entriesVerified: n(r.entries_verified),
    })),
  };
}
