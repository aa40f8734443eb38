/**
 * One OrderSaga object per order (named by the order id): the single writer
 * of its order, and the driver of its checkout saga (saga.ts, over the
 * steps of saga-steps.ts). The order and the saga's step log live in
 * Postgres (one source of truth, read at the start of every run); the
 * object adds two things Postgres cannot:
 *
 * - serialisation: everything that happens to one order (create and its
 *   repeats, confirm, cancel, payment and delivery events, the alarm) runs
 *   one at a time through a promise chain, since the platform's input gates
 *   do not hold across the awaits of outgoing calls;
 * - the alarm: set a few seconds ahead before a run starts (a watchdog), and
 *   moved to the next thing the order waits for when the run ends (a planned
 *   retry, the payment deadline, the stock hold's expiry) or cleared when it
 *   rests. A run cut short (the process died, or a simulated crash) leaves
 *   the watchdog in place, and the alarm resumes the saga from its step log.
 *
 * The class is the Cloudflare adapter: it gets the raw env and builds the
 * Runtime once; everything below it takes the Runtime.
 */
import { DurableObject } from "cloudflare:workers";
import { relayAfterCommit } from "../../queues/outbox/relay.ts";
import { extendReservation } from "../../workers/inventory/index.ts";
import { assertPaymentsAdmitted } from "../../workers/payments/index.ts";
import { type CloudflareEnv, cloudflareRuntime } from "../../workers/platform/cloudflare/runtime.ts";
import { type Database, withDb } from "../../workers/platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../../workers/platform/errors.ts";
import { InjectedFault } from "../../workers/platform/faults.ts";
import { errorFields, log } from "../../workers/platform/log.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { withTraceState } from "../../workers/platform/tracing/request-tracing.ts";
import { type ClaimInput, claimGuestOrder } from "./claim.ts";
import { type CreateOrderInput, createOrder, keyReused } from "./create-order.ts";
import { OrderErrors } from "./errors.ts";
import { cancelOrder, checkPayment, compensate, compensations, finishCancel, forward, shipmentMoved } from "./saga.ts";
import { type ResumeInput, resumeAction, wakeUpAt } from "./saga-rules.ts";
import { move, newRun, patch, type Run } from "./saga-run.ts";
import type { CancelReason } from "./saga-steps.ts";
import { type OrderStatus, stateConflict } from "./state.ts";
import { loadBundle, type OrderBundle, type OrderRow } from "./store.ts";
import { type Answer, confirmAnswer, errorAnswer, isSettledAnswer, presentOrder } from "./view.ts";

/** How long a run may take before the alarm assumes it died and resumes the order. */
export const WATCHDOG_MS = 15_000;
const ORDER_ID_KEY = "orderId";

/** Who asks: the order's owner, or staff (support, admin) where staff may act. */
export interface Caller {
  id: string;
  kind: "user" | "service";
  staff: boolean;
}

export interface ConfirmInput {
  orderId: string;
  paymentMethodId: string;
  idempotencyKey: string | null;
  caller: Caller;
  correlationId: string;
  /** The request's W3C traceparent (tracing on): the events this call writes continue its trace. */
  traceparent?: string;
}

export interface CancelInput {
  orderId: string;
  reason: CancelReason;
  caller: Caller;
  correlationId: string;
  traceparent?: string;
}

/** The order's owner, or staff when `staffMay`; anyone else is told the order does not exist. */
const mayAct = (order: OrderRow, caller: Caller, staffMay: boolean) =>
  (caller.kind === "user" && caller.id === order.userId) || (staffMay && caller.staff);

const noSuchOrder = (): Answer => errorAnswer(notFound("order"));
const interrupted = (orderId: string): Answer =>
  errorAnswer(
    new ApiError(
      OrderErrors.ORDER_IN_PROGRESS,
      "The order's checkout was interrupted; it finishes by itself (look it up with GET /api/orders/{id})",
      { orderId },
    ),
  );

/** The pure rules' view of the order at `now`. */
const resumeInputOf = (b: OrderBundle, now: number): ResumeInput => {
  const o = b.order;
  return {
    status: o.status,
    log: b.log,
    retryAt: o.retryAt?.getTime() ?? null,
    holdExpiresAt: o.holdExpiresAt.getTime(),
    paymentDeadline: o.paymentDeadline?.getTime() ?? null,
    now,
  };
};

export class OrderSaga extends DurableObject<CloudflareEnv> {
  private readonly rt: Runtime;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: CloudflareEnv) {
    super(ctx, env);
    // Background work (the relay of the orders' events) is the object's.
    this.rt = cloudflareRuntime(env, (p) => ctx.waitUntil(p));
  }

  /** The one way the object publishes the events it writes (the order's and the saga's): relayed after the commit. */
  private readonly afterCommit = (eventIds: string[]): void => relayAfterCommit(this.rt, eventIds);

  private runOf(rt: Runtime, db: Database, b: OrderBundle, correlationId: string): Run {
    return newRun(rt, db, b, correlationId, this.afterCommit);
  }

  /** Places the order (or replays the first answer to a repeat of its Idempotency-Key). */
  create(input: CreateOrderInput): Promise<Answer> {
    return this.serial(input.traceparent, async (db, rt) => {
      try {
        const { answer, created } = await createOrder(rt, db, input, this.afterCommit);
        // The pending order's alarm: its stock hold's expiry (from the order as written, not read again).
        if (created) await this.schedule(created);
        return answer;
      } catch (err) {
        if (err instanceof ApiError) return errorAnswer(err);
        if (err instanceof InjectedFault) return interrupted(input.orderId);
        throw err;
      }
    });
  }

  /** Runs the checkout saga synchronously: 200 confirmed, 202 still going (retry planned, payment settling later), 402 declined. */
  confirm(input: ConfirmInput): Promise<Answer> {
    return this.serial(input.traceparent, async (db, rt) => {
      const b = await loadBundle(db, input.orderId);
      // Paying is the customer's act: only the owner confirms.
      if (!b || !mayAct(b.order, input.caller, false)) return noSuchOrder();
      const run = this.runOf(rt, db, b, input.correlationId);
      const o = b.order;
      if (input.idempotencyKey !== null && o.confirmKey === input.idempotencyKey) {
        if (o.paymentMethodId !== input.paymentMethodId) return errorAnswer(keyReused("confirming this order"));
        if (o.confirmAnswer) return o.confirmAnswer as Answer;
        return this.answerConfirm(run, b, input.idempotencyKey);
      }
      if (o.status !== "pending") return errorAnswer(stateConflict(o.status, "confirming"));
      // The payment provider's circuit is open: a clear 503 with Retry-After, before anything is held or charged.
      const shut = await assertPaymentsAdmitted(rt).catch((err: unknown) => err);
      if (shut instanceof ApiError) return errorAnswer(shut);
      // The hold must outlive the saga's retries; a lapsed one cancels the order before anything is charged.
      try {
        await extendReservation(rt, o.reservationId, run.config.ORDER_HOLD_SECONDS, { type: "user", id: o.userId });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500)
          return errorAnswer(
            err instanceof ApiError
              ? err
              : new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, "The stock hold could not be checked; try again"),
          );
        return this.guarded(run, async () => {
          const expired = await compensate(run, b, "expired", "the stock hold lapsed before the order was confirmed");
          return this.answerConfirm(run, expired, input.idempotencyKey);
        });
      }
      return this.guarded(run, async () => {
        const keyed = await patch(run, b, {
          confirmKey: input.idempotencyKey,
          paymentMethodId: input.paymentMethodId,
          retries: 0,
          retryAt: null,
        });
        const confirming = await move(run, keyed, "confirming", {
          note: `checkout started with ${input.paymentMethodId}`,
          actor: input.caller.id,
        });
        return this.answerConfirm(run, await forward(run, confirming), input.idempotencyKey);
      });
    });
  }

  /** A customer's (or staff's) cancel: 200 cancelled, 202 compensations still running, 409 when it can no longer be. */
  cancel(input: CancelInput): Promise<Answer> {
    return this.serial(input.traceparent, async (db, rt) => {
      const b = await loadBundle(db, input.orderId);
      if (!b || !mayAct(b.order, input.caller, true)) return noSuchOrder();
      const run = this.runOf(rt, db, b, input.correlationId);
      return this.guarded(run, async () => {
        const cancelled = await cancelOrder(run, b, input.reason, input.caller.id);
        if (cancelled.refused) return errorAnswer(cancelled.refused);
        const view = await presentOrder(db, cancelled.b);
        return { status: view.status === "cancelled" ? 200 : 202, order: view };
      });
    });
  }

  /** A guest order becomes the account's that verified its email (false: not a guest order of that address). */
  claim(input: ClaimInput): Promise<boolean> {
    return this.serial(undefined, (db) => claimGuestOrder(db, input));
  }

  /** Looks at the order again (recovery job, payment settled): resumes what is due. */
  poke(input: { orderId: string; correlationId: string; traceparent?: string }): Promise<OrderStatus | null> {
    return this.serial(input.traceparent, (db, rt) => this.resume(rt, db, input.orderId, input.correlationId));
  }

  /** Delivery progress: the shipment left, or arrived. */
  shipmentMoved(input: {
    orderId: string;
    kind: "dispatched" | "delivered";
    at: string;
    correlationId: string;
    traceparent?: string;
  }): Promise<OrderStatus | null> {
    return this.serial(input.traceparent, async (db, rt) => {
      const b = await loadBundle(db, input.orderId);
      if (!b) return null;
      const moved = await shipmentMoved(this.runOf(rt, db, b, input.correlationId), b, input.kind, input.at);
      return moved.order.status;
    });
  }

  override async alarm(): Promise<void> {
    const orderId = this.ctx.storage.kv.get<string>(ORDER_ID_KEY);
    if (!orderId) return;
    try {
      await this.serial(undefined, (db, rt) => this.resume(rt, db, orderId, `alarm:${orderId}`));
    } catch (err) {
      // The watchdog set before the run stays: the alarm comes back.
      log.error("orders.alarm_failed", { orderId, ...errorFields(err) });
    }
  }

  // ---- runs

  private async resume(rt: Runtime, db: Database, orderId: string, correlationId: string): Promise<OrderStatus | null> {
    const b = await loadBundle(db, orderId);
    if (!b) return null;
    const o = b.order;
    const action = resumeAction(resumeInputOf(b, Date.now()));
    if (action.kind === "rest" || action.kind === "wait") {
      await this.schedule(b);
      return o.status;
    }
    const run = this.runOf(rt, db, b, correlationId);
    await this.guarded(run, async () => {
      if (action.kind === "forward") await forward(run, b);
      else if (action.kind === "check_payment") await checkPayment(run, b);
      else if (action.kind === "expire") await compensate(run, b, "expired", "the stock hold lapsed before the order was confirmed");
      else if (action.kind === "finish_cancel") await finishCancel(run, b);
      else if (o.status === "cancelling") await compensations(run, b);
      else await compensate(run, b, "checkout_interrupted", "the checkout was interrupted before the payment was captured");
      return null;
    });
    // Where the run left the order, also when it was cut short.
    return run.trail.last.order.status;
  }

  /**
   * Runs saga work with the watchdog armed. When the work ends, the alarm is
   * moved to what the order waits for next; when it is cut short, the
   * watchdog stays and the caller learns the order is still in progress.
   * Either way the order is where the run last wrote it (`run.trail`).
   */
  private async guarded<T extends Answer | null>(run: Run, work: () => Promise<T>): Promise<T | Answer> {
    const orderId = run.trail.last.order.id;
    this.remember(orderId);
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
    let result: T;
    try {
      result = await work();
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) {
        // A refusal (a move the state machine does not allow): nothing was cut short.
        await this.schedule(run.trail.last);
        return errorAnswer(err);
      }
      if (err instanceof InjectedFault) log.warn("orders.saga_crash_simulated", { orderId, error: err.message });
      else log.error("orders.saga_interrupted", { orderId, ...errorFields(err) });
      return interrupted(orderId);
    }
    await this.schedule(run.trail.last);
    return result;
  }

  /** The confirm's answer from where the saga left the order; settled answers are stored for repeats of its key. */
  private async answerConfirm(run: Run, b: OrderBundle, key: string | null): Promise<Answer> {
    const answer = confirmAnswer(await presentOrder(run.db, b));
    if (key !== null && isSettledAnswer(answer) && b.order.confirmKey === key && !b.order.confirmAnswer) {
      await patch(run, b, { confirmAnswer: answer });
    }
    return answer;
  }

  /** The alarm at the next moment the order waits for, or none when it rests. */
  private async schedule(b: OrderBundle): Promise<void> {
    const at = wakeUpAt(resumeInputOf(b, Date.now()), WATCHDOG_MS);
    if (at === null) await this.ctx.storage.deleteAlarm();
    else {
      this.remember(b.order.id);
      await this.ctx.storage.setAlarm(at);
    }
  }

  /** The alarm must know which order it wakes; written only for orders that exist (a probe of a random id stores nothing). */
  private remember(orderId: string): void {
    if (this.ctx.storage.kv.get<string>(ORDER_ID_KEY) !== orderId) this.ctx.storage.kv.put(ORDER_ID_KEY, orderId);
  }

  /**
   * One operation at a time for this order, awaits included. A traced caller's trace context goes with the
   * operation: its runtime carries it (to the objects and services it calls) and so do its database's
   * transactions, so every event written for the call (the order's, the payment's) continues the caller's trace.
   */
  private serial<T>(traceparent: string | undefined, op: (db: Database, rt: Runtime) => Promise<T>): Promise<T> {
    const rt = traceparent ? withTraceState(this.rt, { traceparent, collector: null }) : this.rt;
    const run = () => withDb(rt, (db) => op(db, rt));
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
