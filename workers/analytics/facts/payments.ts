/**
 * Payment and delivery facts: one row per event (unique on the event id,
 * and a refund also on its refund id), so a repeat adds nothing. A refund
 * also adds to its order's refunded amount, only when its fact is new.
 */
import { sql } from "drizzle-orm";
import type {
  DeliveryCompleted,
  ShipmentCreated,
  ShipmentDispatched,
  ShipmentStatusChanged,
} from "../../../queues/contracts/events/delivery.ts";
import type { PaymentFailed, PaymentProcessed, RefundIssued } from "../../../queues/contracts/events/payment.ts";
import type { ScrubbedEvent } from "../../pipeline/index.ts";
import { type Cte, dailyIncrements, type FactEvent, utcDay, wrote } from "./cte.ts";

interface PaymentRow {
  kind: "authorized" | "captured" | "failed" | "refunded";
  paymentId: string;
  refundId?: string | null;
  orderId: string;
  userId: string;
  amountMinor: number;
  currency: string;
  provider?: string | null;
  reason?: string | null;
}

function paymentFact(name: string, e: ScrubbedEvent, r: PaymentRow): Cte {
  return {
    name,
    query: sql`
      insert into analytics.payment_facts (event_id, kind, payment_id, refund_id, order_id, customer_key, amount_minor, currency, provider, reason, occurred_at)
      values (${e.id}, ${r.kind}, ${r.paymentId}, ${r.refundId ?? null}, ${r.orderId}, ${r.userId}, ${r.amountMinor}, ${r.currency}, ${r.provider ?? null}, ${r.reason ?? null}, ${e.occurredAt}::timestamptz)
      on conflict do nothing
      returning 1`,
  };
}

export function paymentProcessed(e: FactEvent<typeof PaymentProcessed>): Cte[] {
  const p = e.payload;
  const ctes = [paymentFact("pp_fact", e, { ...p, kind: p.stage })];
  if (p.stage !== "captured") return ctes;
  return [
    ...ctes,
    dailyIncrements("pp_daily", [
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "payments_captured", value: 1, when: wrote("pp_fact") },
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "captured_minor", value: p.amountMinor, when: wrote("pp_fact") },
    ]),
  ];
}

export function paymentFailed(e: FactEvent<typeof PaymentFailed>): Cte[] {
  const p = e.payload;
  return [
    paymentFact("pf_fact", e, { ...p, kind: "failed" }),
    dailyIncrements("pf_daily", [
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "payments_failed", value: 1, when: wrote("pf_fact") },
    ]),
  ];
}

export function refundIssued(e: FactEvent<typeof RefundIssued>): Cte[] {
  const p = e.payload;
  return [
    paymentFact("rf_fact", e, { ...p, kind: "refunded" }),
    {
      name: "rf_order",
      query: sql`
        insert into analytics.order_facts as f (order_id, order_number, customer_key, currency, refunded_minor, refund_count)
        select ${p.orderId}, ${p.orderNumber}, ${p.userId}, ${p.currency}, ${p.amountMinor}, 1 where ${wrote("rf_fact")}
        on conflict (order_id) do update set refunded_minor = f.refunded_minor + excluded.refunded_minor, refund_count = f.refund_count + 1,
          order_number = coalesce(f.order_number, excluded.order_number), customer_key = coalesce(f.customer_key, excluded.customer_key),
          currency = coalesce(f.currency, excluded.currency), updated_at = now()
        returning 1`,
    },
    dailyIncrements("rf_daily", [
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "refunds", value: 1, when: wrote("rf_fact") },
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "refunds_minor", value: p.amountMinor, when: wrote("rf_fact") },
    ]),
  ];
}

interface DeliveryRow {
  kind: "created" | "dispatched" | "delivered" | "status";
  shipmentId: string;
  orderId: string;
  userId: string;
  carrier?: string | null;
  country?: string | null;
  status?: string | null;
  estimatedDelivery?: string | null;
  deliveredAt?: string | null;
}

function deliveryFact(name: string, e: ScrubbedEvent, r: DeliveryRow, metric: string | null): Cte[] {
  const fact: Cte = {
    name,
    query: sql`
      insert into analytics.delivery_facts (event_id, kind, shipment_id, order_id, customer_key, carrier, country, status, estimated_delivery, delivered_at, occurred_at)
      values (${e.id}, ${r.kind}, ${r.shipmentId}, ${r.orderId}, ${r.userId}, ${r.carrier ?? null}, ${r.country ?? null}, ${r.status ?? null},
        ${r.estimatedDelivery ?? null}::date, ${r.deliveredAt ?? null}::timestamptz, ${e.occurredAt}::timestamptz)
      on conflict do nothing
      returning 1`,
  };
  if (!metric) return [fact];
  return [fact, dailyIncrements(`${name}_daily`, [{ day: utcDay(e.occurredAt), currency: "", metric, value: 1, when: wrote(name) }])];
}

export const shipmentCreated = (e: FactEvent<typeof ShipmentCreated>) =>
  deliveryFact("sc_fact", e, { ...e.payload, kind: "created" }, "shipments_created");
export const shipmentDispatched = (e: FactEvent<typeof ShipmentDispatched>) =>
  deliveryFact("sd_fact", e, { ...e.payload, kind: "dispatched" }, "shipments_dispatched");
export const deliveryCompleted = (e: FactEvent<typeof DeliveryCompleted>) =>
  deliveryFact("dc_fact", e, { ...e.payload, kind: "delivered" }, "deliveries_completed");

/** Every status move of a shipment (the three above count theirs in the daily totals; a move counts none). */
export function shipmentStatusChanged(e: FactEvent<typeof ShipmentStatusChanged>): Cte[] {
  const p = e.payload;
  return deliveryFact("ss_fact", e, { ...p, kind: "status", status: p.to }, null);
}
