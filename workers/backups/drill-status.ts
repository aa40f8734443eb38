/** The newest finished drill, for the health check: a failed one degrades /api/health until a drill passes. */
import type { Database } from "../platform/db.ts";
import { latestOperation } from "./progress.ts";

export async function latestDrill(db: Database): Promise<{ ok: boolean; at: string; backupId: string; error: string | null } | null> {
  const row = await latestOperation(db, "drill");
  if (!row) return null;
  return { ok: row.status === "complete", at: (row.finishedAt ?? row.startedAt).toISOString(), backupId: row.backupId, error: row.error };
}
