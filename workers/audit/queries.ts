/** Reading the audit trail: an entity's timeline and a search by actor, type and time. */
import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gt, gte, inArray, lt, sql } from "drizzle-orm";
import { auditEntries } from "../../db/schema/audit.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Database } from "../platform/db.ts";
import { type AttemptOutcome, OUTCOME_TYPES, outcomesOf } from "./staff-action-rules.ts";

export type AuditEntry = typeof auditEntries.$inferSelect;

export interface Page {
  items: AuditEntry[];
  nextCursor: string | null;
}

/** Both lists page on the entry's `seq`: the timeline upwards, the search downwards. */
const TIMELINE_SORT = "audit-timeline:seq-asc";
const SEARCH_SORT = "audit-entries:seq-desc";
const Seq = z.number().int().min(0);

export async function entityTimeline(db: Database, subjectType: string, subjectId: string, limit: number, cursor?: string): Promise<Page> {
  const [after] = cursor ? decodeCursor(cursor, TIMELINE_SORT, [Seq]) : [];
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
  return page(rows, limit, TIMELINE_SORT);
}

export interface SearchFilter {
  actorId?: string;
  type?: string;
  from?: string;
  to?: string;
  /** The previous page's nextCursor. */
  cursor?: string;
  limit: number;
}

/** Newest first. */
export async function searchEntries(db: Database, f: SearchFilter): Promise<Page> {
  const [before] = f.cursor ? decodeCursor(f.cursor, SEARCH_SORT, [Seq]) : [];
  const rows = await db
    .select()
    .from(auditEntries)
    .where(
      and(
        f.actorId ? eq(auditEntries.actorId, f.actorId) : undefined,
        f.type ? eq(auditEntries.type, f.type) : undefined,
        f.from ? gte(auditEntries.occurredAt, f.from) : undefined,
        f.to ? lt(auditEntries.occurredAt, f.to) : undefined,
        before !== undefined ? lt(auditEntries.seq, before) : undefined,
      ),
    )
    .orderBy(desc(auditEntries.seq))
    .limit(f.limit + 1);
  return page(rows, f.limit, SEARCH_SORT);
}

function page(rows: AuditEntry[], limit: number, sort: string): Page {
  const { page: items, nextCursor } = keysetPage(rows, limit, sort, (e) => [e.seq]);
  return { items, nextCursor };
}

/** `('StaffActionTaken', 'StaffActionFailed')` as literals, as in the index's predicate (db/schema/audit.ts). */
const OUTCOME_TYPES_SQL = sql.raw(`(${OUTCOME_TYPES.map((t) => `'${t}'`).join(", ")})`);

/**
 * What became of the staff actions attempted among `entries`: the outcome
 * recorded for each (found by its `attemptId` on the partial index of
 * outcomes, whose predicate the type condition repeats word for word so the
 * planner can use it), or unknown. One query, and none for a page without
 * attempts.
 */
export async function attemptOutcomes(db: Database, entries: readonly AuditEntry[]): Promise<Map<string, AttemptOutcome>> {
  const attempts = entries.filter((e) => e.type === "StaffActionAttempted");
  if (attempts.length === 0) return new Map();
  const ids = attempts.map((e) => e.eventId);
  const attemptId = sql<string>`(${auditEntries.payload} ->> 'attemptId')`;
  const found = await db
    .select({ attemptId, type: auditEntries.type, status: sql<number>`(${auditEntries.payload} ->> 'status')::int` })
    .from(auditEntries)
    .where(and(sql`${auditEntries.type} in ${OUTCOME_TYPES_SQL}`, inArray(attemptId, ids)));
  return outcomesOf(ids, found);
}
