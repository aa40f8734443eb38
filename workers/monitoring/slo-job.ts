/**
 * The `slo-evaluation` job (every minute): flushes its own isolate's counts,
 * sums every isolate's flushed counts of each SLO's indicator over the long
 * and the short window (slo-flush.ts), computes the burn rates, and records
 * its state. A change (met → breached, breached → met) raises one alert,
 * kept as the state's pending alert until the ops channel took it; an SLO
 * that stays breached raises nothing more. The scheduler never runs the job
 * twice at once, so the states have one writer.
 */
import { and, eq, inArray, isNotNull, lt } from "drizzle-orm";
import { sloCounts, sloStates } from "../../db/schema/ops.ts";
import type { Database } from "../platform/db.ts";
import type { Job } from "../platform/job.ts";
import type { Runtime } from "../platform/runtime.ts";
import { monitoringConfig } from "./config.ts";
import { sloAlert } from "./slo-alerts.ts";
import { fleetCounts, flushIsolateCounts } from "./slo-flush.ts";
import { indicatorKey } from "./slo-flush-rules.ts";
import { type BurnPolicy, evaluate } from "./slo-rules.ts";
import { SLOS, type Slo } from "./slo-table.ts";

export function burnPolicy(rt: Pick<Runtime, "vars">): BurnPolicy {
  const s = monitoringConfig.read(rt);
  return { longWindowMs: s.SLO_LONG_WINDOW_SECONDS * 1000, shortWindowMs: s.SLO_SHORT_WINDOW_SECONDS * 1000, burnRate: s.SLO_BURN_RATE };
}

export interface EvaluationReport {
  evaluated: number;
  breached: string[];
  /** The alerts raised by this run (state changes), by id. */
  raised: string[];
  /** Pending alerts the ops channel took in this run. */
  delivered: string[];
}

/** `slos`: the table; a test passes SLOs of its own, which no other run evaluates. */
export async function evaluateSlos(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  db: Database,
  nowMs: number,
  slos: readonly Slo[] = SLOS,
): Promise<EvaluationReport> {
  const policy = burnPolicy(rt);
  const now = new Date(nowMs);
  // Flushes older than twice the long window are never inside a window again.
  const horizon = new Date(nowMs - 2 * policy.longWindowMs);
  const names = slos.map((s) => s.name);
  const [counts, states] = await Promise.all([
    fleetCounts(db, [...new Set(slos.map((s) => indicatorKey(s.indicator)))], nowMs, policy),
    db.select().from(sloStates).where(inArray(sloStates.slo, names)),
  ]);
  const stateOf = new Map(states.map((s) => [s.slo, s]));

  const raised: string[] = [];
  const breached: string[] = [];
  await db.transaction(async (tx) => {
    for (const slo of slos) {
      const windows = counts.get(indicatorKey(slo.indicator))!;
      const previous = stateOf.get(slo.name);
      const ev = evaluate(previous?.status ?? "met", windows.long, windows.short, slo, policy);
      if (ev.status === "breached") breached.push(slo.name);
      const burns = { longBurn: ev.longBurn, shortBurn: ev.shortBurn, evaluatedAt: now };
      if (!ev.changed) {
        await tx
          .insert(sloStates)
          .values({ slo: slo.name, status: ev.status, since: now, ...burns })
          .onConflictDoUpdate({ target: sloStates.slo, set: burns });
        continue;
      }
      // The breach's start names both of its alerts: a retried delivery carries the same id.
      const breachStart = ev.status === "breached" ? nowMs : (previous?.since.getTime() ?? nowMs);
      const alertId = ev.status === "breached" ? `slo-${slo.name}-${breachStart}` : `slo-${slo.name}-${breachStart}-recovered`;
      raised.push(alertId);
      const change = { status: ev.status, since: now, pendingAlert: alertId, ...burns };
      const breaches = (previous?.breaches ?? 0) + (ev.status === "breached" ? 1 : 0);
      await tx
        .insert(sloStates)
        .values({ slo: slo.name, ...change, breaches })
        .onConflictDoUpdate({ target: sloStates.slo, set: { ...change, breaches } });
    }
    await tx.delete(sloCounts).where(lt(sloCounts.at, horizon));
  });

  const delivered = await deliverPending(rt, db, policy, slos);
  return { evaluated: slos.length, breached, raised, delivered };
}

/** Sends every pending alert; one the channel took is cleared (unless a newer change replaced it meanwhile). */
async function deliverPending(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  db: Database,
  policy: BurnPolicy,
  slos: readonly Slo[],
): Promise<string[]> {
  const pending = await db
    .select()
    .from(sloStates)
    .where(
      and(
        isNotNull(sloStates.pendingAlert),
        inArray(
          sloStates.slo,
          slos.map((s) => s.name),
        ),
      ),
    );
  const delivered: string[] = [];
  for (const state of pending) {
    const slo = slos.find((s) => s.name === state.slo);
    // An SLO no longer declared (or another run's) has nothing to say here.
    if (!slo || !state.pendingAlert) continue;
    if (await sloAlert(rt, db, slo, state, policy)) {
      await db
        .update(sloStates)
        .set({ pendingAlert: null })
        .where(and(eq(sloStates.slo, state.slo), eq(sloStates.pendingAlert, state.pendingAlert)));
      delivered.push(state.pendingAlert);
    }
  }
  return delivered;
}

export const sloEvaluation: Job = {
  name: "slo-evaluation",
  description:
    "Evaluate the declared SLOs' burn rates from the fleet's flushed counts; alert the ops channel once per breach and once per recovery",
  crons: ["* * * * *"],
  timeoutMs: 50_000,
  announceSuccess: false,
  run: async ({ rt, db }) => {
    if (monitoringConfig.read(rt).SLO_EVALUATION === "off") return { skipped: "SLO_EVALUATION=off" };
    const now = rt.clock.now().getTime();
    // This isolate's own counts first; the others flush theirs on their own schedule.
    const flushed = await flushIsolateCounts(db, now);
    return { flushedIndicators: flushed?.deltas.length ?? 0, ...(await evaluateSlos(rt, db, now)) };
  },
};
