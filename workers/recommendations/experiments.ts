/**
 * A/B experiments over the personal feed: an admin starts one with arms
 * (each an algorithm and a share of users); while it runs, every signed-in
 * shopper's feed comes from their arm's algorithm and is recorded as an
 * exposure. Experiments run per placement (the home feed, an email, ...),
 * one at a time in each: starting one stops the last of its placement.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import { notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { type Arm, assignArm } from "./assignment.ts";
import { armFigures, recordExposure } from "./experiment-outcomes.ts";
import { type Algorithm, type Recommendation, recommend } from "./recommenders.ts";

interface ExperimentRow {
  id: string;
  name: string;
  placement: string;
  arms: Arm[];
  status: "running" | "stopped";
  conversion_window_hours: number;
  created_at: string;
}

export async function startExperiment(
  db: Queryable,
  input: { name: string; placement: string; arms: Arm[]; conversionWindowHours: number },
): Promise<string> {
  const id = newId("rxp");
  await db.execute(
    sql`update recommendations.experiments set status = 'stopped' where status = 'running' and placement = ${input.placement}`,
  );
  await db.execute(sql`
    insert into recommendations.experiments (id, name, placement, arms, status, conversion_window_hours)
    values (${id}, ${input.name}, ${input.placement}, ${JSON.stringify(input.arms)}::jsonb, 'running', ${input.conversionWindowHours})`);
  return id;
}

async function findExperiment(db: Queryable, by: { id: string } | { placement: string }): Promise<ExperimentRow | undefined> {
  const r = await db.execute<ExperimentRow & Record<string, unknown>>(sql`
    select id, name, placement, arms, status, conversion_window_hours, created_at::text from recommendations.experiments
    where ${"id" in by ? sql`id = ${by.id}` : sql`status = 'running' and placement = ${by.placement}`} order by created_at desc limit 1`);
  return r.rows[0];
}

export async function experimentReport(db: Queryable, id: string) {
  const x = await findExperiment(db, { id });
  if (!x) throw notFound("experiment");
  return {
    id: x.id,
    name: x.name,
    placement: x.placement,
    status: x.status,
    conversionWindowHours: x.conversion_window_hours,
    createdAt: new Date(x.created_at).toISOString(),
    arms: await armFigures(db, x.id, x.arms),
  };
}

/** A shopper's own feed: from their arm's algorithm while an experiment runs (recorded as an exposure), else the personal feed. */
export async function feedFor(
  db: Queryable,
  userId: string,
  placement: string,
  limit: number,
): Promise<Recommendation & { experiment: { id: string; arm: string; exposureId: string } | null }> {
  const running = await findExperiment(db, { placement });
  if (!running) return { ...(await recommend(db, "personal", { userId }, limit)), experiment: null };
  const arm = assignArm(running.id, userId, running.arms);
  const list = await recommend(db, arm.algorithm as Algorithm, { userId }, limit);
  const exposureId = await recordExposure(db, {
    experimentId: running.id,
    arm: arm.name,
    userId,
    productIds: list.items.map((i) => i.productId),
  });
  return { ...list, experiment: { id: running.id, arm: arm.name, exposureId } };
}
