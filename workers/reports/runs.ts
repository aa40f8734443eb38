/**
 * Runs on demand: checking a request (the definition exists, the caller's
 * access may run it, its parameters and period are valid), reusing a stored
 * result of the same request within the reuse window, or queueing a new run
 * that executes after the response. The run's view carries its progress and,
 * once done, short-lived signed links to its files.
 */
import { and, desc, eq, gte, inArray, isNull, lt, or } from "drizzle-orm";
import { type ReportFormat, reportRuns } from "../../db/schema/reports.ts";
import type { Principal } from "../platform/context.ts";
import { type Database, openDb } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { accessOf, mayRun } from "./access-rules.ts";
import { reportsConfig } from "./config.ts";
import { definitionById } from "./definitions/catalog.ts";
import type { Access, ReportDefinition } from "./definitions/definition.ts";
import { periodFor, type Span } from "./definitions/params.ts";
import { ReportErrors } from "./errors.ts";
import { executeRun } from "./run-executor.ts";
import { signedPath } from "./signed-links.ts";

export type RunRow = typeof reportRuns.$inferSelect;

export interface RunRequest {
  definition: string;
  params: Record<string, unknown>;
  formats: ReportFormat[];
}

export interface PreparedRun {
  def: ReportDefinition;
  /** The parameters as parsed, with the period's ends filled in. */
  params: Record<string, unknown>;
  formats: ReportFormat[];
  access: Access;
  requestKey: string;
}

const invalid = (field: string, message: string) =>
  new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", { errors: [{ field, message }] });

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with sorted keys, so equal parameters give equal text. */
const canonical = (v: unknown): string =>
  v && typeof v === "object" && !Array.isArray(v)
    ? `{${Object.keys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
        .join(",")}}`
    : JSON.stringify(v);

/** Checks a request for `access`; `span` overrides the definition's default period (a schedule's frequency). */
export async function prepareRun(req: RunRequest, access: Access | null, now: Date, span?: Span): Promise<PreparedRun> {
  const def = definitionById(req.definition);
  if (!def) throw invalid("definition", "no such report definition (see GET /api/reports/definitions)");
  if (!access || !mayRun(def, access))
    throw new ApiError(ReportErrors.REPORT_NOT_ALLOWED, `The ${def.id} report is not available to your role`);
  const parsed = def.params.safeParse(req.params);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ field: ["params", ...i.path.map(String)].join("."), message: i.message }));
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", { errors });
  }
  const params = parsed.data as Record<string, unknown>;
  const period = periodFor(params as { from?: string; to?: string }, span ?? def.span, now, "day");
  if (!period.ok) throw invalid(`params.${period.field}`, period.message);
  const resolved = {
    ...params,
    from: period.period.from.toISOString().slice(0, 10),
    to: period.period.to.toISOString().slice(0, 10),
  };
  const formats = [...new Set(req.formats)].sort() as ReportFormat[];
  const requestKey = await sha256Hex(canonical({ definition: def.id, params: resolved, formats, access }));
  return { def, params: resolved, formats, access, requestKey };
}

/** A stored result of the same request made within the reuse window (queued, running or done; not failed or purged). */
export async function reusableRun(db: Database, rt: Pick<Runtime, "vars">, p: PreparedRun, now: Date): Promise<RunRow | null> {
  const since = new Date(now.getTime() - reportsConfig.read(rt).REPORTS_REUSE_SECONDS * 1000);
  const [row] = await db
    .select()
    .from(reportRuns)
    .where(
      and(
        eq(reportRuns.requestKey, p.requestKey),
        gte(reportRuns.createdAt, since),
        inArray(reportRuns.status, ["queued", "running", "succeeded"]),
        isNull(reportRuns.purgedAt),
      ),
    )
    .orderBy(desc(reportRuns.createdAt))
    .limit(1);
  return row ?? null;
}

export async function insertRun(
  db: Database,
  p: PreparedRun,
  who: { requestedBy: string | null; scheduleId?: string; id?: string },
  now: Date,
): Promise<RunRow> {
  const [row] = await db
    .insert(reportRuns)
    .values({
      id: who.id ?? newId("rpt"),
      definition: p.def.id,
      params: p.params,
      formats: p.formats,
      requestKey: p.requestKey,
      access: p.access,
      requestedBy: who.requestedBy,
      scheduleId: who.scheduleId ?? null,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  const [existing] = await db.select().from(reportRuns).where(eq(reportRuns.id, who.id!));
  return existing!;
}

/** Starts (or reuses) a run for the caller: the run and whether it was reused. */
export async function startRun(
  db: Database,
  rt: Runtime,
  principal: Principal,
  req: RunRequest,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<{ run: RunRow; reused: boolean }> {
  const now = rt.clock.now();
  const prepared = await prepareRun(req, accessOf(principal.roles), now);
  const existing = await reusableRun(db, rt, prepared, now);
  if (existing) return { run: existing, reused: true };
  const run = await insertRun(db, prepared, { requestedBy: principal.id }, now);
  // The run's own connection: the request's closes when the response is sent.
  waitUntil(
    (async () => {
      const handle = openDb(rt);
      try {
        await executeRun(rt, handle.db, run.id);
      } catch (err) {
        log.warn("reports.run_failed", { runId: run.id, error: err instanceof Error ? err.message : String(err) });
      } finally {
        await handle.close();
      }
    })(),
  );
  return { run, reused: false };
}

/** The run, if the caller may see it: its requester (or subscriber) and admins; anyone else gets a 404. */
export async function findVisibleRun(db: Database, principal: Principal, runId: string): Promise<RunRow> {
  const [run] = await db.select().from(reportRuns).where(eq(reportRuns.id, runId));
  if (!run || (run.requestedBy !== principal.id && !principal.roles.includes("admin"))) throw notFound("report run");
  return run;
}

export async function runView(rt: Pick<Runtime, "vars">, run: RunRow, now: Date, ttlSeconds?: number) {
  const expires = Math.floor(now.getTime() / 1000) + (ttlSeconds ?? reportsConfig.read(rt).REPORTS_LINK_TTL_SECONDS);
  const downloads: Partial<Record<ReportFormat, { url: string; bytes: number; sha256: string; expiresAt: string }>> = {};
  if (run.status === "succeeded" && !run.purgedAt)
    for (const format of run.formats) {
      const file = run.files?.[format];
      if (file)
        downloads[format] = {
          url: await signedPath(rt, run.id, format, expires),
          bytes: file.bytes,
          sha256: file.sha256,
          expiresAt: new Date(expires * 1000).toISOString(),
        };
    }
  return {
    id: run.id,
    definition: run.definition,
    params: run.params,
    formats: run.formats,
    access: run.access,
    requestedBy: run.requestedBy,
    scheduleId: run.scheduleId,
    status: run.status,
    progress: run.progress,
    attempts: run.attempts,
    rowCount: run.rowCount,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    purgedAt: run.purgedAt?.toISOString() ?? null,
    downloads,
  };
}

/** The index of past runs, newest first: every run for admins, the caller's own for others. */
export async function listRuns(
  db: Database,
  principal: Principal,
  q: { definition?: string; limit: number; after?: { createdAt: Date; id: string } },
): Promise<RunRow[]> {
  const conditions = [
    q.definition ? eq(reportRuns.definition, q.definition) : undefined,
    principal.roles.includes("admin") ? undefined : eq(reportRuns.requestedBy, principal.id),
    q.after
      ? or(lt(reportRuns.createdAt, q.after.createdAt), and(eq(reportRuns.createdAt, q.after.createdAt), lt(reportRuns.id, q.after.id)))
      : undefined,
  ];
  return db
    .select()
    .from(reportRuns)
    .where(and(...conditions))
    .orderBy(desc(reportRuns.createdAt), desc(reportRuns.id))
    .limit(q.limit + 1);
}
