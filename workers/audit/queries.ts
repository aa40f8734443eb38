/** Reading the audit trail: an entity's timeline and a search by actor, type and time. */
import { and, asc, desc, eq, gt, gte, lt } from "drizzle-orm";
import { auditEntries } from "../../db/schema/audit.ts";
import type { Database } from "../platform/db.ts";

export type AuditEntry = typeof auditEntries.$inferSelect;

export interface Page {
  items: AuditEntry[];
  nextCursor: string | null;
}

export async function entityTimeline(db: Database, subjectType: string, subjectId: string, limit: number, after?: number): Promise<Page> {
  const rows = await db
    .select()
    .from(auditEntries)
    .where(
      and(
        eq(auditEntries.subjectType, subjectType),
        eq(auditEntries.subjectId, subjectId),
        after !== undefined ? gt(auditEntries.seq, after) : undefined,
      ),
    )
    .orderBy(asc(auditEntries.seq))
    .limit(limit + 1);
  return page(rows, limit);
}

export interface SearchFilter {
  actorId?: string;
  type?: string;
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

/** Newest first. */
export async function searchEntries(db: Database, f: SearchFilter): Promise<Page> {
  const rows = await db
    .select()
    .from(auditEntries)
    .where(
      and(
        f.actorId ? eq(auditEntries.actorId, f.actorId) : undefined,
        f.type ? eq(auditEntries.type, f.type) : undefined,
        f.from ? gte(auditEntries.occurredAt, f.from) : undefined,
        f.to ? lt(auditEntries.occurredAt, f.to) : undefined,
        f.before !== undefined ? lt(auditEntries.seq, f.before) : undefined,
      ),
    )
    .orderBy(desc(auditEntries.seq))
    .limit(f.limit + 1);
  return page(rows, f.limit);
}

function page(rows: AuditEntry[], limit: number): Page {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
}
