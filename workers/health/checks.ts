/** Dependency probes for /api/health: Postgres, Durable Objects, and the queue path (the outbox backlog). */
import { sql } from "drizzle-orm";
import { CONSUMER_GROUPS } from "../../queues/routing.ts";
import { latestDrill } from "../backups/index.ts";
import { breachedHealthSlos } from "../monitoring/index.ts";
import type { Database } from "../platform/db.ts";
import { circuitStates } from "../platform/resilience/circuit-report.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { JobLease } from "../scheduler/index.ts";

export type CheckStatus = "ok" | "degraded" | "down";
export interface Check {
  status: CheckStatus;
  latencyMs: number;
  detail?: string;
  [k: string]: unknown;
}

/** An outbox event older than this is a sign that publishing to the queues is failing. */
export const OUTBOX_STALE_SECONDS = 300;
const TIMEOUT_MS = 3000;

async function timed(fn: () => Promise<{ status: CheckStatus; [k: string]: unknown }>): Promise<Check> {
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | null = null;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    const result = await Promise.race([fn(), timeout]);
    return { ...result, latencyMs: Math.round(performance.now() - start) };
  } catch (err) {
    return { status: "down", latencyMs: Math.round(performance.now() - start), detail: err instanceof Error ? err.message : String(err) };
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

export function checkPostgres(db: Database): Promise<Check> {
  return timed(async () => {
    const r = await db.execute<{ version: string }>(sql`select current_setting('server_version') as version`);
    return { status: "ok", version: r.rows[0]?.version };
  });
}

/** The namespace probed: every object runs on the same platform, so one answering stands for all. */
const PROBED_NAMESPACE = "JOB_LEASE";

export function checkDurableObjects(rt: Pick<Runtime, "objects">): Promise<Check> {
  return timed(async () => {
    if (!rt.objects.has(PROBED_NAMESPACE)) return { status: "down", detail: `missing Durable Object binding: ${PROBED_NAMESPACE}` };
    await rt.objects.get<JobLease>(PROBED_NAMESPACE, "health-probe").ping();
    return { status: "ok" };
  });
}

/**
 * Queues have no ping; what can fail is publishing. Every binding must be
 * present, and the outbox must not hold events older than a few minutes.
 */
export function checkQueues(rt: Pick<Runtime, "queues">, db: Database): Promise<Check> {
  return timed(async () => {
    const missing = CONSUMER_GROUPS.flatMap((g) => [g.producer, g.deadLetterProducer]).filter((b) => !rt.queues.has(b));
    if (missing.length > 0) return { status: "down", detail: `missing queue bindings: ${missing.join(", ")}` };
    const r = await db.execute<{ pending: number; oldest: number | null }>(
      sql`select count(*)::int as pending, extract(epoch from now() - min(created_at))::float8 as oldest from events.outbox where published_at is null`,
    );
    const pending = r.rows[0]?.pending ?? 0;
    const oldestPendingSeconds = r.rows[0]?.oldest == null ? null : Math.round(r.rows[0].oldest);
    const stale = oldestPendingSeconds !== null && oldestPendingSeconds > OUTBOX_STALE_SECONDS;
    return {
      status: stale ? "degraded" : "ok",
      queues: CONSUMER_GROUPS.map((g) => g.queue),
      outboxPending: pending,
      oldestPendingSeconds,
      ...(stale ? { detail: `outbox events wait for ${oldestPendingSeconds}s: publishing is failing` } : {}),
    };
  });
}

/** The newest restore drill: a failed one means the backups may not restore, so the service is degraded. */
export function checkBackups(db: Database): Promise<Check> {
  return timed(async () => {
    const drill = await latestDrill(db);
    if (!drill) return { status: "ok", lastDrill: null, detail: "no restore drill has run yet" };
    return drill.ok
      ? { status: "ok", lastDrill: drill.at }
      : { status: "degraded", lastDrill: drill.at, detail: `the restore drill of ${drill.backupId} failed` };
  });
}

/** The providers' circuits (payments, carrier, mail, ...): one open (or probing) is a degraded shop, never a down one. */
export function checkCircuits(rt: Pick<Runtime, "vars" | "objects">): Promise<Check> {
  return timed(async () => {
    const circuits = await circuitStates(rt);
    const notClosed = Object.entries(circuits).filter(([, state]) => state !== "closed");
    return notClosed.length === 0
      ? { status: "ok", circuits }
      : {
          status: "degraded",
          circuits,
          detail: `circuit not closed: ${notClosed.map(([d, s]) => `${d} (${s})`).join(", ")}; its calls fall back (docs/operability.md)`,
        };
  });
}

/**
 * The SLOs whose breach is a degraded queue path (consumer lag over budget,
 * messages dead-lettered faster than the budget allows), as the SLO job last
 * judged them.
 */
export function checkSlos(db: Database): Promise<Check> {
  return timed(async () => {
    const breached = await breachedHealthSlos(db);
    return breached.length === 0
      ? { status: "ok", breached }
      : { status: "degraded", breached, detail: `SLO breached: ${breached.join(", ")} (GET /api/slos)` };
  });
}

/**
 * The shop's state from its checks. Without Postgres it stays open in
 * degraded mode (stale catalogue copies, carts on the objects, 503 for the
 * rest), so that is "degraded", not "down"; the outbox check fails with
 * Postgres and says nothing more then. Without the objects it is down.
 */
export function overallHealth(
  postgres: Check,
  durableObjects: Check,
  queues: Check,
  backups?: Check,
  circuits?: Check,
  slos?: Check,
): { status: CheckStatus; mode: "normal" | "degraded" | "closed" } {
  if (durableObjects.status === "down") return { status: "down", mode: "closed" };
  if (postgres.status === "down") return { status: "degraded", mode: "degraded" };
  // With Postgres up, a failing queue path (a missing binding) is down, as before; a growing backlog is degraded,
  // and so is a failed restore drill (the shop serves, but its backups may not restore).
  const mode = queues.status === "down" ? "closed" : "normal";
  if (queues.status === "ok" && backups && backups.status !== "ok") return { status: "degraded", mode };
  // A provider's open circuit degrades the shop (its calls fall back); if the circuits cannot be read, nothing is known.
  if (queues.status === "ok" && circuits?.status === "degraded") return { status: "degraded", mode };
  // Events late or dead-lettered beyond their SLO: the shop serves, but its queue path is behind.
  if (queues.status === "ok" && slos?.status === "degraded") return { status: "degraded", mode };
  return { status: queues.status, mode };
}
