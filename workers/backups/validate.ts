/**
 * Validating a backup: the manifest adds up, every part's bytes match their
 * SHA-256 and hold the rows listed, every SKU's ledger adds up, and (with a
 * scratch database) the whole set loads into it, every table holds the rows
 * the manifest lists, and the money and audit invariants hold there. A
 * drill is the same, on the newest complete backup, on a schedule.
 */
import { sql } from "drizzle-orm";
import { type Database, withDb } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { backupsConfig } from "./config.ts";
import { auditChainInvariant, type InvariantResult, paymentInvariants } from "./invariants.ts";
import type { Manifest } from "./manifest.ts";
import { isFirstPage, type ObjectLine } from "./object-export.ts";
import { LedgerWalk } from "./object-invariants.ts";
import { qualified } from "./pg-catalog.ts";
import { restoreTables } from "./pg-restore.ts";
import { finishOperation, type Progress, startOperation } from "./progress.ts";
import { backupsBucket, partLines, setKey, usableManifest } from "./sets.ts";

export interface ValidationReport {
  operationId: string;
  backupId: string;
  ok: boolean;
  problems: string[];
  durationMs: number;
  parts: number;
  rows: number;
  scratchRestore: "done" | "skipped: no BACKUP_SCRATCH_DATABASE_URL" | "failed";
  invariants: InvariantResult[];
}

export async function validateBackup(rt: Runtime, db: Database, backupId: string, kind: "validate" | "drill"): Promise<ValidationReport> {
  const operationId = newId(kind === "drill" ? "drl" : "val");
  const started = Date.now();
  const progress = await startOperation(db, { id: operationId, kind, backupId });
  const report: ValidationReport = {
    operationId,
    backupId,
    ok: false,
    problems: [],
    durationMs: 0,
    parts: 0,
    rows: 0,
    scratchRestore: "skipped: no BACKUP_SCRATCH_DATABASE_URL",
    invariants: [],
  };
  try {
    const m = await usableManifest(rt, backupId);
    await progress.expect(m.totals.rows);
    await checkObjects(rt, m, report, progress);
    await checkTables(rt, m, report, progress);
  } catch (err) {
    report.problems.push(err instanceof ApiError ? `${err.message}` : err instanceof Error ? err.message : String(err));
  }
  report.ok = report.problems.length === 0 && report.invariants.every((i) => i.ok);
  report.durationMs = Date.now() - started;
  await finishOperation(db, operationId, {
    status: report.ok ? "complete" : "failed",
    result: report,
    error: report.ok ? null : summarise(report),
  });
  return report;
}

function summarise(r: ValidationReport): string {
  return [...r.problems, ...r.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.offenders.join("; ")}`)]
    .join(" | ")
    .slice(0, 2000);
}

async function checkObjects(rt: Runtime, m: Manifest, report: ValidationReport, progress: Progress): Promise<void> {
  const key = await setKey(rt);
  const store = backupsBucket(rt);
  let skus = 0;
  const ledgerProblems: string[] = [];
  for (const entry of m.objects) {
    let objects = 0;
    // SKUs whose later pages are still to come (a long ledger): only their running sums are kept.
    const walking = new Map<string, LedgerWalk>();
    for (const part of entry.parts) {
      const lines = await partLines(store, part, key);
      report.parts++;
      for (const raw of lines) {
        const line = JSON.parse(raw) as ObjectLine;
        if (isFirstPage(line)) objects++;
        if (entry.kind !== "inventory") continue;
        let walk = walking.get(line.name);
        if (isFirstPage(line)) {
          if (walk) ledgerProblems.push(`${line.name}: a first page again before its last page`);
          walk = new LedgerWalk(line.name, line.snapshot);
          skus++;
        } else if (walk) walk.add(line.snapshot);
        else {
          ledgerProblems.push(`${line.name}: page ${String(line.page)} without its first page`);
          continue;
        }
        if (line.more) walking.set(line.name, walk);
        else {
          walking.delete(line.name);
          ledgerProblems.push(...walk.finish());
        }
      }
      await progress.add(part.rows, part.bytes);
    }
    for (const name of walking.keys()) ledgerProblems.push(`${name}: its last page is missing`);
    if (objects !== entry.objects)
      report.problems.push(`${entry.kind}: ${objects} objects in the parts, the manifest says ${entry.objects}`);
    report.rows += entry.objects;
  }
  report.invariants.push({
    name: "every SKU's stock ledger adds up",
    ok: ledgerProblems.length === 0,
    checked: skus,
    offenders: ledgerProblems.slice(0, 5),
  });
}

async function checkTables(rt: Runtime, m: Manifest, report: ValidationReport, progress: Progress): Promise<void> {
  const scratch = backupsConfig.read(rt).BACKUP_SCRATCH_DATABASE_URL;
  const key = await setKey(rt);
  const store = backupsBucket(rt);
  if (!scratch) {
    // No scratch database: every part is still read, checked and decoded.
    for (const t of m.tables)
      for (const part of t.parts) {
        await partLines(store, part, key);
        report.parts++;
        await progress.add(part.rows, part.bytes);
      }
    report.rows += m.tables.reduce((n, t) => n + t.rows, 0);
    return;
  }
  report.scratchRestore = "failed";
  await withDb({ vars: { ...rt.vars, DATABASE_URL: scratch } }, async (target) => {
    const loaded = await restoreTables(target, store, key, m, undefined, progress);
    report.parts += m.tables.reduce((n, t) => n + t.parts.length, 0);
    report.rows += loaded.rows;
    for (const t of m.tables) {
      const r = await target.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${qualified(t)}`));
      if (r.rows[0]!.n !== t.rows)
        report.problems.push(`${t.schema}.${t.table}: ${r.rows[0]!.n} rows restored, the manifest says ${t.rows}`);
    }
    report.invariants.push(...(await paymentInvariants(target)), await auditChainInvariant(rt, target));
  });
  report.scratchRestore = "done";
}
