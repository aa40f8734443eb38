/**
 * Business counters, from the events themselves: orders placed and
 * confirmed, revenue in minor units by currency, payment declines by
 * reason. They are counted by a handler of the pipeline group (which sees
 * every business topic), so no producer has to remember them, and a
 * duplicate delivery is not counted twice (the framework skips an event
 * the group already processed; only a batch whose transaction failed after
 * the handler ran counts again on its retry). Labels are currencies and
 * reason codes from the contracts, never input.
 */
import { OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import { PaymentFailed } from "../../queues/contracts/events/payment.ts";
import { on } from "../platform/event-handlers.ts";
import { writeMetricPoint } from "../platform/metric-points.ts";
import { counter } from "../platform/metrics.ts";

const ordersPlaced = counter("orders_placed_total", "Orders placed (payment not yet confirmed), by currency");
const ordersConfirmed = counter("orders_confirmed_total", "Orders confirmed (paid), by currency");
const revenueMinor = counter("revenue_minor_total", "Revenue of confirmed orders in minor units (cents), by currency");
const paymentDeclines = counter("payment_declines_total", "Payments declined or failed, by reason");

export const businessCounters = [
  on(OrderCreated, async (event, { rt }) => {
    ordersPlaced.inc({ currency: event.payload.currency });
    writeMetricPoint(rt, "order_placed", [event.payload.currency], [1, event.payload.totalMinor]);
  }),
  on(OrderConfirmed, async (event, { rt }) => {
    const { currency, totalMinor } = event.payload;
    ordersConfirmed.inc({ currency });
    revenueMinor.inc({ currency }, totalMinor);
    writeMetricPoint(rt, "order_confirmed", [currency], [1, totalMinor]);
  }),
  on(PaymentFailed, async (event, { rt }) => {
    paymentDeclines.inc({ reason: event.payload.reason });
    writeMetricPoint(rt, "payment_declined", [event.payload.reason, event.payload.currency], [1, event.payload.amountMinor]);
  }),
];
