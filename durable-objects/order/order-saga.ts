/**
 * One OrderSaga object per order (idFromName(orderId)): the single writer of
 * its order, and the driver of its checkout saga. The order and the saga's
 * step log live in Postgres (one source of truth, read at the start of every
 * run); the object adds two things Postgres cannot:
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
 */
import { DurableObject } from "cloudflare:workers";
import { withDb, type Database } from "../../workers/platform/db.ts";
import type { Env } from "../../workers/platform/env.ts";
import { ApiError } from "../../workers/platform/errors.ts";
import { InjectedFault } from "../../workers/platform/faults.ts";
import { errorFields, log } from "../../workers/platform/log.ts";
import { createOrder, keyReused, type CreateOrderInput } from "../../workers/orders/create.ts";
import { cancelOrder, compensate, compensations, finishCancel, shipmentMoved } from "../../workers/orders/saga-compensate.ts";
import { checkPayment, forward, type CancelReason } from "../../workers/orders/saga-forward.ts";
import { move, newRun, type Run } from "../../workers/orders/saga-run.ts";
import { resumeAction, wakeUpAt } from "../../workers/orders/saga-rules.ts";
import { stateConflict, type OrderStatus } from "../../workers/orders/state.ts";
import { extendReservation } from "../../workers/inventory/service.ts";
import { loadBundle, patchOrder, type OrderRow } from "../../workers/orders/store.ts";
import { confirmAnswer, errorAnswer, isSettledAnswer, presentOrder, type Answer } from "../../workers/orders/view.ts";
import { ErrorCode } from "../../workers/platform/errors.ts";

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
}

export interface CancelInput {
  orderId: string;
  reason: CancelReason;
  caller: Caller;
  correlationId: string;
}

/** The order's owner, or staff when `staffMay`; anyone else is told the order does not exist. */
const mayAct = (order: OrderRow, caller: Caller, staffMay: boolean) => (caller.kind === "user" && caller.id === order.userId) || (staffMay && caller.staff);

const notFound = (): Answer => errorAnswer(new ApiError(ErrorCode.NOT_FOUND, "No such order"));
const interrupted = (orderId: string): Answer => ({
  status: 503,
  error: { code: "ORDER_IN_PROGRESS", detail: "The order's checkout was interrupted; it finishes by itself (look it up with GET /api/orders/{id})", extras: { orderId } },
});

export class OrderSaga extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();

  /** Places the order (or replays the first answer to a repeat of its Idempotency-Key). */
  create(input: CreateOrderInput): Promise<Answer> {
    return this.serial(async (db) => {
      try {
        const answer = await createOrder(this.env, db, input, (p) => this.ctx.waitUntil(p));
        // The pending order's alarm: its stock hold's expiry.
        if (answer.status === 201) await this.scheduleFrom(db, input.orderId);
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
    return this.serial(async (db) => {
      const b = await loadBundle(db, input.orderId);
      // Paying is the customer's act: only the owner confirms.
      if (!b || !mayAct(b.order, input.caller, false)) return notFound();
      const run = newRun(this.env, db, b, input.correlationId, (p) => this.ctx.waitUntil(p));
      const o = b.order;
      if (input.idempotencyKey !== null && o.confirmKey === input.idempotencyKey) {
        if (o.paymentMethodId !== input.paymentMethodId) return errorAnswer(keyReused("confirming this order"));
        if (o.confirmAnswer) return o.confirmAnswer as Answer;
        return this.answerConfirm(run, input.idempotencyKey);
      }
      if (o.status !== "pending") return errorAnswer(stateConflict(o.status, "confirming"));
      // The hold must outlive the saga's retries; a lapsed one cancels the order before anything is charged.
      try {
        await extendReservation(this.env, o.reservationId, run.config.ORDER_HOLD_SECONDS, { type: "user", id: o.userId });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500) return errorAnswer(err instanceof ApiError ? err : new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, "The stock hold could not be checked; try again"));
        return this.guarded(run, async () => {
          await compensate(run, "expired", "the stock hold lapsed before the order was confirmed");
          return this.answerConfirm(run, input.idempotencyKey);
        });
      }
      return this.guarded(run, async () => {
        run.b.order = await patchOrder(db, run.b.order, { confirmKey: input.idempotencyKey, paymentMethodId: input.paymentMethodId, retries: 0, retryAt: null });
        await move(run, "confirming", { note: `checkout started with ${input.paymentMethodId}`, actor: input.caller.id });
        await forward(run);
        return this.answerConfirm(run, input.idempotencyKey);
      });
    });
  }

  /** A customer's (or staff's) cancel: 200 cancelled, 202 compensations still running, 409 when it can no longer be. */
  cancel(input: CancelInput): Promise<Answer> {
    return this.serial(async (db) => {
      const b = await loadBundle(db, input.orderId);
      if (!b || !mayAct(b.order, input.caller, true)) return notFound();
      const run = newRun(this.env, db, b, input.correlationId, (p) => this.ctx.waitUntil(p));
      return this.guarded(run, async () => {
        const refused = await cancelOrder(run, input.reason, input.caller.id);
        if (refused) return errorAnswer(refused);
        const view = await presentOrder(db, run.b);
        return { status: view.status === "cancelled" ? 200 : 202, order: view };
      });
    });
  }

  /** Looks at the order again (recovery job, payment settled): resumes what is due. */
  poke(input: { orderId: string; correlationId: string }): Promise<OrderStatus | null> {
    return this.serial((db) => this.resume(db, input.orderId, input.correlationId));
  }

  /** Delivery progress: the shipment left, or arrived. */
  shipmentMoved(input: { orderId: string; kind: "dispatched" | "delivered"; at: string; correlationId: string }): Promise<OrderStatus | null> {
    return this.serial(async (db) => {
      const b = await loadBundle(db, input.orderId);
      if (!b) return null;
      const run = newRun(this.env, db, b, input.correlationId, (p) => this.ctx.waitUntil(p));
      await shipmentMoved(run, input.kind, input.at);
      return run.b.order.status;
    });
  }

  override async alarm(): Promise<void> {
    const orderId = this.ctx.storage.kv.get<string>(ORDER_ID_KEY);
    if (!orderId) return;
    try {
      await this.serial((db) => this.resume(db, orderId, `alarm:${orderId}`));
    } catch (err) {
      // The watchdog set before the run stays: the alarm comes back.
      log.error("orders.alarm_failed", { orderId, ...errorFields(err) });
    }
  }

  // ---- runs

  private async resume(db: Database, orderId: string, correlationId: string): Promise<OrderStatus | null> {
    const b = await loadBundle(db, orderId);
    if (!b) return null;
    const o = b.order;
    const action = resumeAction({ status: o.status, log: b.log, retryAt: o.retryAt?.getTime() ?? null, holdExpiresAt: o.holdExpiresAt.getTime(), paymentDeadline: o.paymentDeadline?.getTime() ?? null, now: Date.now() });
    const run = newRun(this.env, db, b, correlationId, (p) => this.ctx.waitUntil(p));
    if (action.kind === "rest" || action.kind === "wait") {
      await this.schedule(run);
      return o.status;
    }
    await this.guarded(run, async () => {
      if (action.kind === "forward") await forward(run);
      else if (action.kind === "check_payment") await checkPayment(run);
      else if (action.kind === "expire") await compensate(run, "expired", "the stock hold lapsed before the order was confirmed");
      else if (action.kind === "finish_cancel") await finishCancel(run);
      else if (o.status === "cancelling") await compensations(run);
      else await compensate(run, "checkout_interrupted", "the checkout was interrupted before the payment was captured");
      return null;
    });
    return run.b.order.status;
  }

  /**
   * Runs saga work with the watchdog armed. When the work ends, the alarm is
   * moved to what the order waits for next; when it is cut short, the
   * watchdog stays and the caller learns the order is still in progress.
   */
  private async guarded<T extends Answer | null>(run: Run, work: () => Promise<T>): Promise<T | Answer> {
    this.remember(run.b.order.id);
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
    let result: T;
    try {
      result = await work();
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) {
        // A refusal (a move the state machine does not allow): nothing was cut short.
        await this.schedule(run);
        return errorAnswer(err);
      }
      if (err instanceof InjectedFault) log.warn("orders.saga_crash_simulated", { orderId: run.b.order.id, error: err.message });
      else log.error("orders.saga_interrupted", { orderId: run.b.order.id, ...errorFields(err) });
      return interrupted(run.b.order.id);
    }
    await this.schedule(run);
    return result;
  }

  /** The confirm's answer from where the saga left the order; settled answers are stored for repeats of its key. */
  private async answerConfirm(run: Run, key: string | null): Promise<Answer> {
    const answer = confirmAnswer(await presentOrder(run.db, run.b));
    if (key !== null && isSettledAnswer(answer) && run.b.order.confirmKey === key && !run.b.order.confirmAnswer) {
      run.b.order = await patchOrder(run.db, run.b.order, { confirmAnswer: answer });
    }
    return answer;
  }

  private async scheduleFrom(db: Database, orderId: string): Promise<void> {
    const b = await loadBundle(db, orderId);
    if (b) await this.schedule(newRun(this.env, db, b, "", () => undefined));
  }

  /** The alarm at the next moment the order waits for, or none when it rests. */
  private async schedule(run: Run): Promise<void> {
    const o = run.b.order;
    const at = wakeUpAt({ status: o.status, log: run.b.log, retryAt: o.retryAt?.getTime() ?? null, holdExpiresAt: o.holdExpiresAt.getTime(), paymentDeadline: o.paymentDeadline?.getTime() ?? null, now: Date.now() }, WATCHDOG_MS);
    if (at === null) await this.ctx.storage.deleteAlarm();
    else {
      this.remember(o.id);
      await this.ctx.storage.setAlarm(at);
    }
  }

  /** The alarm must know which order it wakes; written only for orders that exist (a probe of a random id stores nothing). */
  private remember(orderId: string): void {
    if (this.ctx.storage.kv.get<string>(ORDER_ID_KEY) !== orderId) this.ctx.storage.kv.put(ORDER_ID_KEY, orderId);
  }

  /** One operation at a time for this order, awaits included. */
  private serial<T>(op: (db: Database) => Promise<T>): Promise<T> {
    const run = () => withDb(this.env, op);
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
