/**
 * The progress board: one row per backup, validation, restore or drill in
 * backups.operations, updated as parts are written or loaded, so an admin
 * can read rows and bytes done and an ETA while a long run goes on.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { backupOperations } from "../../db/schema/backups.ts";
import type { Database } from "../platform/db.ts";

export type OperationRow = typeof backupOperations.$inferSelect;
export type OperationKind = OperationRow["kind"];

export interface Progress {
  add(rows: number, bytes: number): Promise<void>;
  expect(rows: number): Promise<void>;
}

export async function startOperation(db: Database, op: { id: string; kind: OperationKind; backupId: string }): Promise<Progress> {
  await db.insert(backupOperations).values({ ...op, status: "running" });
  return {
    add: async (rows, bytes) => {
      await db
        .update(backupOperations)
        .set({ rowsDone: sql`${backupOperations.rowsDone} + ${rows}`, bytesDone: sql`${backupOperations.bytesDone} + ${bytes}` })
        .where(eq(backupOperations.id, op.id));
    },
    expect: async (rows) => {
      await db.update(backupOperations).set({ rowsExpected: rows }).where(eq(backupOperations.id, op.id));
    },
  };
}

export async function finishOperation(
  db: Database,
  id: string,
  outcome: { status: "complete" | "failed"; error?: string | null; result?: unknown; manifestKey?: string | null },
): Promise<OperationRow> {
  const [row] = await db
    .update(backupOperations)
    .set({
      status: outcome.status,
      error: outcome.error ?? null,
      result: outcome.result ?? null,
      manifestKey: outcome.manifestKey ?? null,
      finishedAt: new Date(),
    })
    .where(eq(backupOperations.id, id))
    .returning();
  return row!;
}

export async function loadOperation(db: Database, id: string): Promise<OperationRow | null> {
  return (await db.select().from(backupOperations).where(eq(backupOperations.id, id)))[0] ?? null;
}

export async function latestOperation(db: Database, kind: OperationKind): Promise<OperationRow | null> {
  const rows = await db
    .select()
    .from(backupOperations)
    .where(and(eq(backupOperations.kind, kind), sql`${backupOperations.status} <> 'running'`))
    .orderBy(desc(backupOperations.startedAt))
    .limit(1);
  return rows[0] ?? null;
}

/** The seconds left at the pace so far (null until the pace or the size is known). */
export function etaSeconds(row: Pick<OperationRow, "rowsDone" | "rowsExpected" | "startedAt" | "status">, now: Date): number | null {
  if (row.status !== "running" || !row.rowsExpected || row.rowsDone <= 0) return null;
  const elapsed = (now.getTime() - row.startedAt.getTime()) / 1000;
  const left = Math.max(row.rowsExpected - row.rowsDone, 0);
  return Math.round((left * elapsed) / row.rowsDone);
}
