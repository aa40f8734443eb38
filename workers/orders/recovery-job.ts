/**
 * `orders-recovery` (every minute): belt and braces for the order objects'
 * alarms. Wakes the object of every order that should not rest where it is:
 * a saga that has not moved for a minute (confirming or cancelling, with no
 * retry planned later), a pending order whose stock hold lapsed (cancelled
 * as expired), an order whose payment deadline passed, and a cancel of a
 * confirmed order that was cut short. Each object decides what is due.
 */
import type { Job } from "../platform/job.ts";
import { errorFields, log } from "../platform/log.ts";
import { ordersToRecover } from "./queries.ts";
import { orderObject, traceOf } from "./service.ts";

const STALE_SECONDS = 60;
const BATCH = 200;

export const ordersRecovery: Job = {
  name: "orders-recovery",
  description: "Resumes checkout sagas whose alarm did not fire, and cancels pending orders whose stock hold lapsed",
  crons: ["* * * * *"],
  timeoutMs: 50_000,
  announceSuccess: false,
  async run({ rt, db, runId }) {
    const due = await ordersToRecover(db, STALE_SECONDS, BATCH);
    let resumed = 0;
    let failed = 0;
    const statuses: Record<string, number> = {};
    for (const order of due) {
      try {
        const status = await orderObject(rt, order.id).poke({ orderId: order.id, correlationId: runId, ...traceOf(rt) });
        resumed++;
        if (status) statuses[status] = (statuses[status] ?? 0) + 1;
      } catch (err) {
        failed++;
        log.warn("orders.recovery_failed", { orderId: order.id, ...errorFields(err) });
      }
    }
    return { due: due.length, resumed, failed, statuses };
  },
};
