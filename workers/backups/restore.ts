/**
 * Restoring for real: first a dry run (what would be replaced, whether the
 * database holds anything newer than the backup, and a confirmation token
 * bound to exactly that), then the restore itself, refused unless it
 * carries the token of a dry run of the same backup, scope and database
 * state. Postgres is loaded first (one transaction), then the objects.
 *
 * Events stay consistent: the outbox, the consumers' processed records and
 * the objects' own outboxes all come back as of the backup, with their
 * event ids, so an event unpublished then is published once (consumers
 * drop a repeat by id) and none published before it is announced again.
 */
import { sql } from "drizzle-orm";
import { forgetEveryTokenStatus } from "../identity/index.ts";
import type { Database } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { sha256Hex } from "./codec.ts";
import { backupsConfig } from "./config.ts";
import { BackupErrors } from "./errors.ts";
import type { Manifest, ObjectKind } from "./manifest.ts";
import { type ObjectScope, restoreObjects } from "./object-restore.ts";
import { qualified } from "./pg-catalog.ts";
import { assertSameSchemaVersion, restoreTables, tablesInScope } from "./pg-restore.ts";
import { finishOperation, startOperation } from "./progress.ts";
import { backupsBucket, setKey, usableManifest } from "./sets.ts";

const fanOutOf = (s: { BACKUP_OBJECT_BATCH: number; BACKUP_OBJECT_PAUSE_MS: number }) => ({
  batch: s.BACKUP_OBJECT_BATCH,
  pauseMs: s.BACKUP_OBJECT_PAUSE_MS,
});

export interface RestoreScope {
  /** Postgres schemas to restore; omitted: all of them; empty: none. */
  schemas?: string[];
  /** Objects to restore; omitted: every kind; null: none. */
  objects?: ObjectScope | null;
}

export interface RestorePlan {
  backupId: string;
  snapshotAt: string;
  scope: RestoreScope;
  tables: { schema: string; table: string; backupRows: number; currentRows: number }[];
  objects: { kind: ObjectKind; inBackup: number }[];
  /** The newest event the database recorded; later than the backup means newer data would be lost. */
  latestEventAt: string | null;
  overwritesNewerData: boolean;
  confirmationToken: string;
}

export async function planRestore(rt: Runtime, db: Database, id: string, scope: RestoreScope): Promise<RestorePlan> {
  const m = await usableManifest(rt, id);
  await assertSameSchemaVersion(db, m);
  const tables = [];
  for (const t of tablesInScope(m, scope.schemas)) {
    const r = await db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${qualified(t)}`));
    tables.push({ schema: t.schema, table: t.table, backupRows: t.rows, currentRows: r.rows[0]!.n });
  }
  // Records of operations are not business data a restore would lose: the scheduler's run reports (the backup's
  // among them) and the audit of staff requests, which the dry run itself adds when a member of staff sends it
  // (counting it would change the token the dry run just gave).
  const latest = await db.execute<{ at: string | null }>(
    sql`select to_json(max(created_at)) #>> '{}' as at from events.outbox where type not in ('JobRunCompleted', 'StaffActionAttempted', 'StaffActionTaken', 'StaffActionFailed')`,
  );
  const latestEventAt = latest.rows[0]?.at ? new Date(latest.rows[0].at).toISOString() : null;
  const objects =
    scope.objects === null
      ? []
      : m.objects
          .filter((o) => !scope.objects?.kinds || scope.objects.kinds.includes(o.kind))
          .map((o) => ({ kind: o.kind, inBackup: o.objects }));
  const bound = { backupId: id, setSha256: m.setSha256, scope, tables, objects, latestEventAt };
  return {
    backupId: id,
    snapshotAt: m.snapshotAt,
    scope,
    tables,
    objects,
    latestEventAt,
    overwritesNewerData: latestEventAt !== null && latestEventAt > m.snapshotAt,
    confirmationToken: (await sha256Hex(JSON.stringify(bound))).slice(0, 32),
  };
}

export async function restoreBackup(
  rt: Runtime,
  db: Database,
  id: string,
  scope: RestoreScope,
  confirmationToken: string | undefined,
): Promise<{ operationId: string; plan: RestorePlan; tables: number; rows: number; objects: Record<string, unknown> }> {
  const plan = await planRestore(rt, db, id, scope);
  if (confirmationToken !== plan.confirmationToken)
    throw new ApiError(
      BackupErrors.BACKUP_CONFIRMATION_REQUIRED,
      plan.overwritesNewerData
        ? "the database holds data newer than the backup: run the dry run and send its confirmation token"
        : "a restore needs the confirmation token of a dry run of the same backup, scope and database state",
      { plan },
    );
  const m: Manifest = await usableManifest(rt, id);
  const operationId = newId("rst");
  const progress = await startOperation(db, { id: operationId, kind: "restore", backupId: id });
  try {
    await progress.expect(plan.tables.reduce((n, t) => n + t.backupRows, 0) + plan.objects.reduce((n, o) => n + o.inBackup, 0));
    const key = await setKey(rt);
    const store = backupsBucket(rt);
    const loaded = await restoreTables(db, store, key, m, scope.schemas, progress);
    const objects =
      scope.objects === null
        ? {}
        : await restoreObjects(rt, db, store, key, m, scope.objects ?? {}, fanOutOf(backupsConfig.read(rt)), progress);
    const result = { tables: loaded.tables.length, rows: loaded.rows, objects };
    // Sessions may be back that this isolate saw missing a moment ago (other isolates forget within REVOCATION_CHECK_TTL_MS).
    if (loaded.tables.length > 0) forgetEveryTokenStatus();
    await finishOperation(db, operationId, { status: "complete", result });
    return { operationId, plan, ...result };
  } catch (err) {
    await finishOperation(db, operationId, { status: "failed", error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
