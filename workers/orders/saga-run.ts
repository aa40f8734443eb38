/**
 * What one run of an order's saga works with: the order as last written,
 * the database and the ids derived from the order, and the primitives every
 * step uses: record a step as started or finished, move the status (with
 * its event, in one transaction), plan a retry, and the crash points.
 */
import type { z } from "zod";
import type { Actor } from "../platform/events/envelope.ts";
import type { EventContract } from "../platform/events/contracts.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { relayAfterCommit } from "../../queues/outbox/relay.ts";
import type { Database } from "../platform/db.ts";
import { readConfig, type Config, type Env } from "../platform/env.ts";
import { ApiError } from "../platform/errors.ts";
import { failIfInjected, InjectedFault } from "../platform/faults.ts";
import { errorFields, log } from "../platform/log.ts";
import { getPayment, paymentsForOrder, type PaymentView } from "../payments/service.ts";
import { sagaKeys } from "./idempotency.ts";
import { retryDelayMs, type StepName, type StepRecord } from "./saga-rules.ts";
import type { OrderStatus } from "./state.ts";
import { finishStep, moveStatus, patchOrder, startStep, type OrderBundle, type OrderRow } from "./store.ts";
import { ErrorCode } from "../platform/errors.ts";

export interface Run {
  env: Env;
  db: Database;
  config: Config;
  correlationId: string;
  waitUntil: (p: Promise<unknown>) => void;
  /** The order as last written by this run. */
  b: OrderBundle;
}

export function newRun(env: Env, db: Database, b: OrderBundle, correlationId: string, waitUntil: (p: Promise<unknown>) => void): Run {
  return { env, db, config: readConfig(env), correlationId, waitUntil, b };
}

export const keysOf = (run: Run) => sagaKeys(run.b.order.id);
/** The order's owner: the actor of its stock holds and movements. */
export const ownerOf = (run: Run): Actor => ({ type: "user", id: run.b.order.userId });

/**
 * A simulated crash: with the fault armed, the run stops dead here, leaving
 * everything as persisted; the order's alarm (or the recovery job) finishes it.
 */
export async function crashPoint(run: Run, step: StepName): Promise<void> {
  await failIfInjected(run.env, run.db, `saga.after_${step}`, run.b.order.id);
}

/** A dependency that may answer later: unreachable, timed out, or a 5xx. Client errors (4xx) are final. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ApiError) return err.status >= 500;
  return true;
}

export const describe = (err: unknown): string => (err instanceof ApiError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err));

export async function stepStarted(run: Run, step: StepName, result: Record<string, unknown> | null = null): Promise<StepRecord> {
  const rec = await startStep(run.db, run.b.order.id, step, result);
  run.b.log[step] = rec;
  return rec;
}

export async function stepFinished(run: Run, step: StepName, state: "done" | "failed", result: Record<string, unknown> | null, error: string | null = null): Promise<void> {
  run.b.log[step] = await finishStep(run.db, run.b.order.id, step, state, result, error);
}

/**
 * Runs a step's side effect with its simulated failure point
 * (`saga.step.<step>`: the dependency fails, as opposed to the process dying).
 */
export async function callStep<T>(run: Run, step: StepName, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    await failIfInjected(run.env, run.db, `saga.step.${step}`, run.b.order.id).catch((err: unknown) => {
      // An injected step failure is the dependency's, not a crash of the run.
      throw err instanceof InjectedFault ? new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, err.message) : err;
    });
    return { ok: true, value: await fn() };
  } catch (err) {
    log.warn("orders.saga_step_failed", { orderId: run.b.order.id, step, ...errorFields(err) });
    return { ok: false, error: err };
  }
}

export async function patch(run: Run, p: Parameters<typeof patchOrder>[2]): Promise<OrderRow> {
  run.b.order = await patchOrder(run.db, run.b.order, p);
  return run.b.order;
}

type Emit = { contract: EventContract<string, z.ZodType>; payload: unknown };

/** Moves the status and writes its event in one transaction, so the row and the event always agree. */
export async function move(run: Run, to: OrderStatus, opts: { note?: string; actor?: string; patch?: Parameters<typeof patchOrder>[2]; emit?: Emit } = {}): Promise<void> {
  const order = run.b.order;
  const moved = await transactionWithEvents(
    run.db,
    async (tx, events) => {
      const next = await moveStatus(tx, order, to, { note: opts.note ?? null, actor: opts.actor ?? null, patch: opts.patch });
      if (opts.emit) await events.emit(opts.emit.contract, { subjectId: order.id, source: "orders", correlationId: run.correlationId, actor: { type: "user", id: order.userId }, payload: opts.emit.payload });
      return next;
    },
    (ids) => relayAfterCommit(run.env, run.waitUntil, ids),
  );
  run.b.order = moved.order;
  run.b.timeline.push(moved.entry);
}

/** Schedules another attempt after a doubling delay; the order's alarm is set from `retryAt` when the run ends. */
export async function planRetry(run: Run): Promise<void> {
  const retries = run.b.order.retries + 1;
  await patch(run, { retries, retryAt: new Date(Date.now() + retryDelayMs(retries, run.config.ORDER_SAGA_RETRY_BASE_MS)) });
}

/** The order's payment: the one its authorisation produced, or (if that answer was lost) the one payments holds for it. */
export async function paymentOf(run: Run): Promise<PaymentView | null> {
  const o = run.b.order;
  const id = o.paymentId ?? (run.b.log.authorized?.result?.paymentId as string | undefined);
  if (id) return getPayment(run.db, id);
  const all = await paymentsForOrder(run.db, o.id);
  return all[0] ?? null;
}
