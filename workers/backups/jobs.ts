/**
 * The backups family's jobs, run by the scheduler (run log, no overlap):
 * the daily full backup, the retention prune, and the restore drill that
 * proves the newest backup restores. A failed drill fails its run, which
 * the scheduler announces (JobRunCompleted, outcome failed) and the health
 * check reports as degraded.
 */
import type { Database } from "../platform/db.ts";
import type { Job } from "../platform/job.ts";
import type { Runtime } from "../platform/runtime.ts";
import { runBackup, summary } from "./backup.ts";
import { backupsConfig } from "./config.ts";
import { type ChainBase, chainBase, MAX_CHAIN } from "./incremental.ts";
import { headDifferences, readMigrationHeads } from "./pg-catalog.ts";
import { planRetention } from "./retention.ts";
import { deleteSet, listSets, readManifest } from "./sets.ts";
import { validateBackup } from "./validate.ts";

export const BACKUP_CRON = "41 2 * * *";
/** Between the daily fulls: every six hours after it. */
export const INCREMENTAL_CRON = "41 8,14,20 * * *";
/** After the backup: the drill restores what it wrote, then retention prunes. */
export const AFTER_BACKUP_CRON = "17 3 * * *";
const LIMIT_MS = 14 * 60_000;

export const backupFull: Job = {
  name: "backup-full",
  description: "Back up every family's tables and every Durable Object of record to R2, with a manifest",
  crons: [BACKUP_CRON],
  timeoutMs: LIMIT_MS,
  announceSuccess: true,
  async run({ rt, db }) {
    return summary(await runBackup(rt, db));
  },
};

/**
 * The set an increment builds on: the newest complete one, unless the chain is already at its longest or the
 * schema changed since (a migration): then this run is a full set and starts a new chain.
 */
async function incrementBase(rt: Runtime, db: Database): Promise<ChainBase | null> {
  const newest = (await listSets(rt)).find((s) => s.complete);
  const m = newest ? await readManifest(rt, newest.id) : null;
  const base = m ? chainBase(m) : null;
  if (!m || !base || base.depth >= MAX_CHAIN) return null;
  return headDifferences(m.schemaVersion, await readMigrationHeads(db)).length === 0 ? base : null;
}

export const backupIncremental: Job = {
  name: "backup-incremental",
  description: "Back up what changed since the newest set (append-only tables by their new rows, the rest whole, every object)",
  crons: [INCREMENTAL_CRON],
  timeoutMs: LIMIT_MS,
  announceSuccess: true,
  async run({ rt, db }) {
    const base = await incrementBase(rt, db);
    return summary(await runBackup(rt, db, base ? { base } : {}));
  },
};

export const backupPrune: Job = {
  name: "backup-prune",
  description: "Delete backup sets outside the daily/weekly/monthly retention (never the newest complete one)",
  crons: [AFTER_BACKUP_CRON],
  timeoutMs: LIMIT_MS,
  announceSuccess: false,
  async run({ rt }) {
    const plan = planRetention(await listSets(rt), backupsConfig.read(rt).BACKUP_RETENTION, rt.clock.now());
    let objects = 0;
    for (const id of plan.drop) objects += await deleteSet(rt, id);
    return { kept: plan.keep.length, dropped: plan.drop, objectsDeleted: objects };
  },
};

export const backupDrill: Job = {
  name: "backup-drill",
  description: "Restore the newest complete backup into the scratch database and validate it",
  crons: [AFTER_BACKUP_CRON],
  timeoutMs: LIMIT_MS,
  announceSuccess: true,
  async run({ rt, db }) {
    const newest = (await listSets(rt)).find((s) => s.complete);
    if (!newest) throw new Error("no complete backup to drill");
    const report = await validateBackup(rt, db, newest.id, "drill");
    if (!report.ok)
      throw new Error(
        `drill of ${newest.id} failed: ${report.problems.concat(report.invariants.filter((i) => !i.ok).map((i) => i.name)).join("; ")}`,
      );
    return {
      backupId: newest.id,
      durationMs: report.durationMs,
      rows: report.rows,
      parts: report.parts,
      scratchRestore: report.scratchRestore,
    };
  },
};
