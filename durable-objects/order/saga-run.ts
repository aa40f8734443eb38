/**
 * What one run of an order's saga works with, and the primitives every step
 * uses: record a step as started or finished, patch the order, move the
 * status (with its event, in one transaction), plan a retry, the crash points.
 *
 * The order's state (an `OrderBundle`: the order as last written, its lines,
 * timeline and step log) is passed explicitly: every primitive that writes
 * takes the state it starts from and returns the next one, and so does every
 * step and every part of the saga. Nothing is shared and reassigned; the
 * `Trail` only keeps a copy of each state written, for the object to read
 * when a run is cut short.
 */
import type { z } from "zod";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { getPayment, type PaymentView, paymentsForOrder } from "../../workers/payments/index.ts";
import type { Database } from "../../workers/platform/db.ts";
import { ApiError, ErrorCode } from "../../workers/platform/errors.ts";
import type { EventContract } from "../../workers/platform/event-contracts.ts";
import type { Actor } from "../../workers/platform/event-envelope.ts";
import { failIfInjected, InjectedFault } from "../../workers/platform/faults.ts";
import { errorFields, log } from "../../workers/platform/log.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { eventFrom } from "../../workers/platform/scope.ts";
import { ordersConfig } from "./config.ts";
import { retryDelayMs, type StepName } from "./saga-rules.ts";
import type { OrderStatus } from "./state.ts";
import { finishStep, moveStatus, type OrderBundle, patchOrder, startStep } from "./store.ts";

/**
 * Where a run has left its order: the last state it persisted. The saga
 * never reads it; the object does, to set its alarm and answer when a run
 * ends, also when it is cut short (a crash point, a dependency throwing)
 * and the state the run would have returned is lost with the exception.
 */
export class Trail {
  #last: OrderBundle;

  constructor(start: OrderBundle) {
    this.#last = start;
  }

  get last(): OrderBundle {
    return this.#last;
  }

  /** Records `b` as persisted and hands it back. */
  saved(b: OrderBundle): OrderBundle {
    this.#last = b;
    return b;
  }
}

export interface Run {
  readonly rt: Runtime;
  readonly db: Database;
  readonly config: ReturnType<typeof ordersConfig.read>;
  readonly correlationId: string;
  /** How the orders' own events are published once committed (the object's strategy: relayed in its background). */
  readonly afterCommit: (eventIds: string[]) => void;
  readonly trail: Trail;
}

export function newRun(
  rt: Runtime,
  db: Database,
  start: OrderBundle,
  correlationId: string,
  afterCommit: (eventIds: string[]) => void,
): Run {
  return { rt, db, config: ordersConfig.read(rt), correlationId, afterCommit, trail: new Trail(start) };
}

/** The order's owner: the actor of its stock holds and movements. */
export const ownerOf = (b: OrderBundle): Actor => ({ type: "user", id: b.order.userId });

/**
 * A simulated crash: with the fault armed, the run stops dead here, leaving
 * everything as persisted; the order's alarm (or the recovery job) finishes it.
 */
export async function crashPoint(run: Run, b: OrderBundle, step: StepName): Promise<void> {
  await failIfInjected(run.rt, run.db, `saga.after_${step}`, b.order.id);
}

/** A dependency that may answer later: unreachable, timed out, or a 5xx. Client errors (4xx) are final. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ApiError) return err.status >= 500;
  return true;
}

export const describe = (err: unknown): string =>
  err instanceof ApiError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);

export async function stepStarted(
  run: Run,
  b: OrderBundle,
  step: StepName,
  result: Record<string, unknown> | null = null,
): Promise<OrderBundle> {
  const rec = await startStep(run.db, b.order.id, step, result);
  return run.trail.saved({ ...b, log: { ...b.log, [step]: rec } });
}

export async function stepFinished(
  run: Run,
  b: OrderBundle,
  step: StepName,
  state: "done" | "failed",
  result: Record<string, unknown> | null,
  error: string | null = null,
): Promise<OrderBundle> {
  const rec = await finishStep(run.db, b.order.id, step, state, result, error);
  return run.trail.saved({ ...b, log: { ...b.log, [step]: rec } });
}

/**
 * Runs a step's side effect with its simulated failure point
 * (`saga.step.<step>`: the dependency fails, as opposed to the process dying).
 */
export async function callStep<T>(
  run: Run,
  b: OrderBundle,
  step: StepName,
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    await failIfInjected(run.rt, run.db, `saga.step.${step}`, b.order.id).catch((err: unknown) => {
      // An injected step failure is the dependency's, not a crash of the run.
      throw err instanceof InjectedFault ? new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, err.message) : err;
    });
    return { ok: true, value: await fn() };
  } catch (err) {
    log.warn("orders.saga_step_failed", { orderId: b.order.id, step, ...errorFields(err) });
    return { ok: false, error: err };
  }
}

export async function patch(run: Run, b: OrderBundle, p: Parameters<typeof patchOrder>[2]): Promise<OrderBundle> {
  return run.trail.saved({ ...b, order: await patchOrder(run.db, b.order, p) });
}

type Emit = { contract: EventContract<string, z.ZodType>; payload: unknown };

/** Moves the status and writes its event in one transaction, so the row and the event always agree. */
export async function move(
  run: Run,
  b: OrderBundle,
  to: OrderStatus,
  opts: { note?: string; actor?: string; patch?: Parameters<typeof patchOrder>[2]; emit?: Emit } = {},
): Promise<OrderBundle> {
  const order = b.order;
  const moved = await transactionWithEvents(
    run.db,
    async (tx, events) => {
      const next = await moveStatus(tx, order, to, { note: opts.note ?? null, actor: opts.actor ?? null, patch: opts.patch });
      if (opts.emit)
        await events.emit(
          opts.emit.contract,
          eventFrom({ correlationId: run.correlationId, actor: ownerOf(b) }, "orders", order.id, opts.emit.payload),
        );
      return next;
    },
    run.afterCommit,
  );
  return run.trail.saved({ ...b, order: moved.order, timeline: [...b.timeline, moved.entry] });
}

/** Schedules another attempt after a doubling delay; the order's alarm is set from `retryAt` when the run ends. */
export async function planRetry(run: Run, b: OrderBundle): Promise<OrderBundle> {
  const retries = b.order.retries + 1;
  return patch(run, b, { retries, retryAt: new Date(Date.now() + retryDelayMs(retries, run.config.ORDER_SAGA_RETRY_BASE_MS)) });
}

/** The order's payment: the one its authorisation produced, or (if that answer was lost) the one payments holds for it. */
export async function paymentOf(run: Run, b: OrderBundle): Promise<PaymentView | null> {
  const o = b.order;
  const id = o.paymentId ?? (b.log.authorized?.result?.paymentId as string | undefined);
  if (id) return getPayment(run.db, id);
  const all = await paymentsForOrder(run.db, o.id);
  return all[0] ?? null;
}
