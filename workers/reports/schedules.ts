/**
 * Report subscriptions: a staff user receives a report every day, week or
 * month. A schedule is cut for its subscriber's access (checked when it is
 * made, and again at each firing against the subscriber's current role), and
 * fires an hour after each period ends (schedule-rules.ts).
 */
import { and, asc, desc, eq } from "drizzle-orm";
import { type Frequency, type ReportFormat, reportSchedules } from "../../db/schema/reports.ts";
import { findNotificationContact } from "../identity/index.ts";
import type { Principal } from "../platform/context.ts";
import type { Database } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { accessOf } from "./access-rules.ts";
import { prepareRun } from "./runs.ts";
import { nextFire } from "./schedule-rules.ts";

export type ScheduleRow = typeof reportSchedules.$inferSelect;

export interface ScheduleInput {
  definition: string;
  params: Record<string, unknown>;
  formats: ReportFormat[];
  frequency: Frequency;
  subscriberId?: string;
}

const span = (f: Frequency) => (f === "daily" ? "day" : f === "weekly" ? "week" : "month");

export async function createSchedule(db: Database, principal: Principal, input: ScheduleInput, now: Date): Promise<ScheduleRow> {
  const subscriberId = input.subscriberId ?? principal.id;
  if (subscriberId !== principal.id && !principal.roles.includes("admin"))
    throw new ApiError(ErrorCode.FORBIDDEN, "Only admins subscribe other users");
  const subscriber = await findNotificationContact(db, subscriberId);
  if (!subscriber)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", {
      errors: [{ field: "subscriberId", message: "no such user" }],
    });
  const access = accessOf([subscriber.role]);
  // The period comes from each firing: a schedule's own from/to would repeat one period forever.
  if ("from" in input.params || "to" in input.params)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", {
      errors: [{ field: "params.from", message: "a schedule reports on each period as it ends: leave out from and to" }],
    });
  const prepared = await prepareRun(
    { definition: input.definition, params: input.params, formats: input.formats },
    access,
    now,
    span(input.frequency),
  );
  const { from: _from, to: _to, ...params } = prepared.params;
  const [row] = await db
    .insert(reportSchedules)
    .values({
      id: newId("rps"),
      definition: prepared.def.id,
      params,
      formats: prepared.formats,
      frequency: input.frequency,
      subscriberId,
      access: prepared.access,
      createdBy: principal.id,
      nextRunAt: nextFire(input.frequency, now),
      createdAt: now,
    })
    .returning();
  return row!;
}

/** The caller's subscriptions (every subscription for admins). */
export async function listSchedules(db: Database, principal: Principal): Promise<ScheduleRow[]> {
  const mine = principal.roles.includes("admin") ? undefined : eq(reportSchedules.subscriberId, principal.id);
  return db
    .select()
    .from(reportSchedules)
    .where(and(eq(reportSchedules.active, true), mine))
    .orderBy(desc(reportSchedules.createdAt), asc(reportSchedules.id));
}

/** Ends a subscription: its subscriber or an admin; anyone else gets a 404. */
export async function cancelSchedule(db: Database, principal: Principal, id: string): Promise<void> {
  const [row] = await db.select().from(reportSchedules).where(eq(reportSchedules.id, id));
  if (!row?.active || (row.subscriberId !== principal.id && !principal.roles.includes("admin"))) throw notFound("report schedule");
  await db.update(reportSchedules).set({ active: false }).where(eq(reportSchedules.id, id));
}

export const scheduleView = (s: ScheduleRow) => ({
  id: s.id,
  definition: s.definition,
  params: s.params,
  formats: s.formats,
  frequency: s.frequency,
  subscriberId: s.subscriberId,
  access: s.access as "admin" | "analyst" | "support",
  createdBy: s.createdBy,
  active: s.active,
  nextRunAt: s.nextRunAt.toISOString(),
  lastRunId: s.lastRunId,
  failures: s.failures,
  createdAt: s.createdAt.toISOString(),
});
