/**
 * Producing a run's files: claim the run, build the report from its
 * definition, cut it for the requester's access, write each format and store
 * it in R2 with its metadata (definition, parameters, requester, row count,
 * SHA-256), reporting progress as each file lands. A run is claimed with a
 * conditional update, so two executors never work on the same run.
 */
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { type ReportFormat, type RunFile, reportRuns } from "../../db/schema/reports.ts";
import type { Database } from "../platform/db.ts";
import { failIfInjected } from "../platform/faults.ts";
import type { Runtime } from "../platform/runtime.ts";
import { cutFor } from "./access-rules.ts";
import { reportsConfig } from "./config.ts";
import { definitionById } from "./definitions/catalog.ts";
import type { Access } from "./definitions/definition.ts";
import { periodFor } from "./definitions/params.ts";
import { type FileUpload, fileUpload } from "./formats/file-upload.ts";
import { FORMAT_FILES } from "./formats/files.ts";
import type { Report, Section } from "./formats/report-model.ts";

export const REPORTS_BUCKET = "REPORTS";
/** Tests make a run fail here (key: its schedule id, or its own id). */
export const RUN_FAULT_POINT = "reports:run";
/** A run still `running` after this long lost its executor: another may claim it. */
export const STALE_RUN_MS = 10 * 60_000;

export const fileKey = (runId: string, definition: string, format: ReportFormat) =>
  `runs/${runId}/${definition}.${FORMAT_FILES[format].ext}`;

/**
 * Counts the rows the first writer reads (every writer reads the same rows),
 * and before each page waits for the file's parts in flight, so a fast
 * writer never runs ahead of the uploads.
 */
function paced(sections: Section[], onPage: (n: number) => Promise<void>): Section[] {
  return sections.map((s) => ({
    ...s,
    async *pages() {
      for await (const page of s.pages()) {
        await onPage(page.length);
        yield page;
      }
    },
  }));
}

/** Claims a queued run (or one whose executor went away); null when another executor has it or it is done. */
async function claim(db: Database, runId: string, now: Date) {
  const [run] = await db
    .update(reportRuns)
    .set({ status: "running", startedAt: now, attempts: sql`${reportRuns.attempts} + 1`, progress: 0, error: null })
    .where(
      and(
        eq(reportRuns.id, runId),
        or(
          eq(reportRuns.status, "queued"),
          and(eq(reportRuns.status, "running"), lt(reportRuns.startedAt, new Date(now.getTime() - STALE_RUN_MS))),
        ),
      ),
    )
    .returning();
  return run ?? null;
}

export type ExecuteOutcome = { status: "succeeded"; rowCount: number } | { status: "failed"; error: string } | { status: "skipped" };

export async function executeRun(rt: Runtime, db: Database, runId: string): Promise<ExecuteOutcome> {
  const run = await claim(db, runId, rt.clock.now());
  if (!run) return { status: "skipped" };
  let uploading: FileUpload | null = null;
  try {
    await failIfInjected(rt, db, RUN_FAULT_POINT, run.scheduleId ?? run.id);
    const def = definitionById(run.definition);
    if (!def) throw new Error(`unknown report definition ${run.definition}`);
    const params = def.params.parse(run.params) as Record<string, unknown>;
    const period = periodFor(params as { from?: string; to?: string }, def.span, run.createdAt, "day");
    if (!period.ok) throw new Error(`${period.field}: ${period.message}`);
    const built = await def.build(params, period.period, { db, now: rt.clock.now() });
    // Every writer reads the rows anew (pages() starts over); the first pass counts them.
    let rows = 0;
    let counting = true;
    const report: Report = {
      shopName: reportsConfig.read(rt).REPORTS_SHOP_NAME,
      title: def.title,
      period: period.period,
      currency: built.currency,
      generatedAt: rt.clock.now(),
      sections: paced(cutFor(built.sections, run.access as Access), async (n) => {
        if (counting) rows += n;
        await uploading?.drain();
      }),
    };
    const bucket = rt.blobs.bucket(REPORTS_BUCKET);
    const files: Partial<Record<ReportFormat, RunFile>> = {};
    for (const [i, format] of run.formats.entries()) {
      const key = fileKey(run.id, run.definition, format);
      const upload = fileUpload(bucket, key, {
        contentType: FORMAT_FILES[format].contentType,
        customMetadata: {
          definition: run.definition,
          params: JSON.stringify(run.params),
          access: run.access,
          requestedBy: run.requestedBy ?? "",
          createdAt: run.createdAt.toISOString(),
        },
      });
      uploading = upload;
      await FORMAT_FILES[format].write(report, upload.sink);
      counting = false;
      const { bytes, sha256 } = await upload.finish({ rowCount: String(rows) });
      uploading = null;
      files[format] = { key, bytes, sha256 };
      await db
        .update(reportRuns)
        .set({ progress: Math.round(((i + 1) / run.formats.length) * 100), files, rowCount: rows })
        .where(eq(reportRuns.id, run.id));
    }
    await db.update(reportRuns).set({ status: "succeeded", finishedAt: rt.clock.now(), progress: 100 }).where(eq(reportRuns.id, run.id));
    return { status: "succeeded", rowCount: rows };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await (uploading as FileUpload | null)?.abort();
    await db
      .update(reportRuns)
      .set({ status: "failed", error: error.slice(0, 500), finishedAt: rt.clock.now() })
      .where(eq(reportRuns.id, run.id));
    return { status: "failed", error };
  }
}

/** Runs queued for a while or abandoned mid-way: the sweep's work. */
export async function pendingRunIds(db: Database, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: reportRuns.id })
    .from(reportRuns)
    .where(
      or(
        and(eq(reportRuns.status, "queued"), lt(reportRuns.createdAt, new Date(now.getTime() - 60_000))),
        and(inArray(reportRuns.status, ["running"]), lt(reportRuns.startedAt, new Date(now.getTime() - STALE_RUN_MS))),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}
