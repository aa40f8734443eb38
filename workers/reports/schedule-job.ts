/**
 * The `reports-schedules` job (every minute): fires the schedules that are
 * due, each for the period that just ended, and mails the subscriber the
 * links to the files through the notifications family, and the files
 * themselves as attachments when they are small enough. A firing is
 * idempotent: its run id and its send id derive from the schedule and the
 * period, so a job that died half-way and runs again reuses the run and the
 * notifications family sends nothing twice. A failed run is retried on the
 * next ticks (5, then 10 minutes later); after the last attempt the
 * subscriber is alerted and the schedule moves on to the next period. The
 * same job also picks up on-demand runs whose background execution was lost.
 */
import { and, asc, eq, lte } from "drizzle-orm";
import { type ReportFormat, type RunFile, reportRuns, reportSchedules } from "../../db/schema/reports.ts";
import { findNotificationContact } from "../identity/index.ts";
import { type EmailAttachment, sendIdFor, sendToUser } from "../notifications/index.ts";
import type { Database } from "../platform/db.ts";
import type { Job } from "../platform/job.ts";
import type { Runtime } from "../platform/runtime.ts";
import { accessOf } from "./access-rules.ts";
import { reportsConfig } from "./config.ts";
import { definitionById } from "./definitions/catalog.ts";
import { FORMAT_FILES } from "./formats/files.ts";
import { executeRun, pendingRunIds, REPORTS_BUCKET } from "./run-executor.ts";
import { insertRun, prepareRun, runView } from "./runs.ts";
import { nextFire, periodOfFiring } from "./schedule-rules.ts";
import type { ScheduleRow } from "./schedules.ts";

const BATCH = 10;
const RETRY_MS = 5 * 60_000;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A run id (`rpt_` and 26 base32 characters) that is a function of the schedule and its period. */
export async function firingRunId(scheduleId: string, from: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${scheduleId}|${from}`)));
  return `rpt_${Array.from(digest.slice(0, 26), (b) => CROCKFORD[b % 32]).join("")}`;
}

const lastDay = (to: string) => new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

type Fired = "delivered" | "retrying" | "alerted" | "deactivated";

/** A run's files as mail attachments when together they are at most `maxBytes`; otherwise none (the links stay either way). */
async function attachmentsOf(rt: Runtime, run: typeof reportRuns.$inferSelect, period: { from: string; to: string }, maxBytes: number) {
  const files = Object.entries(run.files ?? {}) as [ReportFormat, RunFile][];
  if (files.length === 0 || files.reduce((n, [, f]) => n + f.bytes, 0) > maxBytes) return [];
  const bucket = rt.blobs.bucket(REPORTS_BUCKET);
  const attachments: EmailAttachment[] = [];
  for (const [format, f] of files) {
    const object = await bucket.get(f.key);
    if (!object) return [];
    attachments.push({
      filename: `${run.definition}_${period.from}_${lastDay(period.to)}.${FORMAT_FILES[format].ext}`,
      contentType: FORMAT_FILES[format].contentType,
      content: new Uint8Array(await object.arrayBuffer()),
    });
  }
  return attachments;
}

async function fire(rt: Runtime, db: Database, s: ScheduleRow): Promise<Fired> {
  const config = reportsConfig.read(rt);
  const period = periodOfFiring(s.frequency, s.nextRunAt);
  const def = definitionById(s.definition);
  const subscriber = await findNotificationContact(db, s.subscriberId);
  const access = subscriber ? accessOf([subscriber.role]) : null;
  let prepared: Awaited<ReturnType<typeof prepareRun>>;
  try {
    prepared = await prepareRun({ definition: s.definition, params: { ...s.params, ...period }, formats: s.formats }, access, s.nextRunAt);
  } catch {
    // The subscriber is gone or no longer allowed this report: the subscription ends.
    await db.update(reportSchedules).set({ active: false }).where(eq(reportSchedules.id, s.id));
    return "deactivated";
  }
  const runId = await firingRunId(s.id, period.from);
  const run = await insertRun(db, prepared, { requestedBy: s.subscriberId, scheduleId: s.id, id: runId }, rt.clock.now());
  if (run.status === "failed") await db.update(reportRuns).set({ status: "queued" }).where(eq(reportRuns.id, run.id));
  const outcome = run.status === "succeeded" ? { status: "succeeded" as const } : await executeRun(rt, db, run.id);
  const [done] = await db.select().from(reportRuns).where(eq(reportRuns.id, run.id));
  const title = def?.title ?? s.definition;

  if (outcome.status !== "failed" && done?.status === "succeeded") {
    const view = await runView(rt, done, rt.clock.now(), config.REPORTS_MAIL_LINK_TTL_SECONDS);
    const files = Object.entries(view.downloads).map(([format, d]) => ({
      format,
      url: new URL(d!.url, config.REPORTS_PUBLIC_URL).toString(),
    }));
    const expiresAt = Object.values(view.downloads)[0]?.expiresAt ?? rt.clock.now().toISOString();
    const attachments = await attachmentsOf(rt, done, period, config.REPORTS_MAIL_ATTACHMENT_MAX_BYTES);
    await sendToUser(db, rt, await sendIdFor("reports", s.subscriberId, run.id), {
      userId: s.subscriberId,
      template: "report-ready",
      data: { title, from: period.from, to: lastDay(period.to), files, expiresAt, attached: attachments.length > 0 },
      attachments,
    });
    await db
      .update(reportSchedules)
      .set({ nextRunAt: nextFire(s.frequency, s.nextRunAt), lastRunId: run.id, failures: 0 })
      .where(eq(reportSchedules.id, s.id));
    return "delivered";
  }
  if (outcome.status === "skipped") return "retrying"; // another executor holds the run
  const failures = s.failures + 1;
  if (failures < config.REPORTS_SCHEDULE_MAX_ATTEMPTS) {
    await db
      .update(reportSchedules)
      .set({ failures, nextRunAt: new Date(s.nextRunAt.getTime() + RETRY_MS * 2 ** (failures - 1)), lastRunId: run.id })
      .where(eq(reportSchedules.id, s.id));
    return "retrying";
  }
  await sendToUser(db, rt, await sendIdFor("reports", s.subscriberId, `${run.id}:failed`), {
    userId: s.subscriberId,
    template: "report-failed",
    data: { title, from: period.from, to: lastDay(period.to), attempts: failures },
  });
  await db
    .update(reportSchedules)
    .set({ nextRunAt: nextFire(s.frequency, s.nextRunAt), lastRunId: run.id, failures: 0 })
    .where(eq(reportSchedules.id, s.id));
  return "alerted";
}

export const reportSchedulesJob: Job = {
  name: "reports-schedules",
  description: "Sends the scheduled reports that are due to their subscribers, and finishes on-demand runs whose execution was lost",
  crons: ["* * * * *"],
  timeoutMs: 10 * 60_000,
  announceSuccess: false,
  async run({ rt, db }) {
    const now = rt.clock.now();
    const due = await db
      .select()
      .from(reportSchedules)
      .where(and(eq(reportSchedules.active, true), lte(reportSchedules.nextRunAt, now)))
      .orderBy(asc(reportSchedules.nextRunAt))
      .limit(BATCH);
    const fired: Record<Fired, number> = { delivered: 0, retrying: 0, alerted: 0, deactivated: 0 };
    for (const s of due) fired[await fire(rt, db, s)]++;
    let resumed = 0;
    for (const id of await pendingRunIds(db, now, BATCH)) if ((await executeRun(rt, db, id)).status !== "skipped") resumed++;
    return { due: due.length, ...fired, resumed };
  },
};
