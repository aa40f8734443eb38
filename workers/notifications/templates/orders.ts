/**
 * Order templates: an order's progress from receipt to return, each linking
 * the order (a guest's through its signed link).
 */
import { z } from "zod";
import { ORDER_CANCEL_REASONS, RETURN_REASONS } from "../../../queues/contracts/events/order.ts";
import { PAYMENT_FAILURE_REASONS, REFUND_REASONS } from "../../../queues/contracts/events/payment.ts";
import { formatDate, formatDateTime, formatMoney, type Links, safeUrl } from "./format.ts";
import { defineTemplate } from "./template-types.ts";

const money = (minorAmount: number, currency: string, locale: string) => formatMoney(minorAmount, currency, locale);
// Event-sourced fields are no stricter than their event contracts: an event that fits its contract always renders.
const id = z.string();
const orderNumber = z.string().min(1).max(40);
const currency = z.string().regex(/^[A-Z]{3}$/);
const minor = z.number().int().nonnegative();
/** A guest order's mail carries the token of its signed link (the guest has no account page to go to). */
const order = { orderId: id, orderNumber, guestToken: z.string().min(1).optional() };
const orderUrl = (d: { orderId: string; guestToken?: string | undefined }, c: { links: Links }) =>
  d.guestToken ? c.links.guestOrder(d.guestToken) : c.links.order(d.orderId);

export const ORDER_TEMPLATES = {
  "order-created": defineTemplate({
    id: "order-created",
    description: "Order received (summary of lines)",
    category: "transactional",
    channels: ["email", "push"],
    data: z.object({
      ...order,
      lines: z.array(z.object({ name: z.string(), quantity: z.number().int().positive(), unitPriceMinor: minor })).min(1),
      totalMinor: minor,
      currency,
    }),
    vars: (d, c) => ({
      name: c.name,
      orderNumber: d.orderNumber,
      orderUrl: orderUrl(d, c),
      total: money(d.totalMinor, d.currency, c.locale),
      lines: d.lines.map((l) => ({
        name: l.name,
        quantity: l.quantity,
        price: money(l.unitPriceMinor * l.quantity, d.currency, c.locale),
      })),
    }),
  }),
  "order-confirmed": defineTemplate({
    id: "order-confirmed",
    description: "Order confirmed (payment authorised)",
    category: "transactional",
    channels: ["email", "sms", "push"],
    // The invoice's number when its PDF is attached to the mail; without it the mail only links the invoice (a resend).
    data: z.object({ ...order, totalMinor: minor, currency, invoiceNumber: z.string().min(1).max(40).optional() }),
    vars: (d, c) => ({
      name: c.name,
      orderNumber: d.orderNumber,
      orderUrl: orderUrl(d, c),
      invoiceNumber: d.invoiceNumber ?? "",
      invoiceUrl: d.guestToken ? c.links.guestInvoice(d.guestToken) : c.links.invoice(d.orderId),
      total: money(d.totalMinor, d.currency, c.locale),
    }),
  }),
  "order-cancelled": defineTemplate({
    id: "order-cancelled",
    description: "Order cancelled, with the reason and any refund",
    category: "transactional",
    channels: ["email", "sms", "push"],
    data: z.object({ ...order, reason: z.enum(ORDER_CANCEL_REASONS), refundMinor: minor, currency }),
    vars: (d, c) => ({
      name: c.name,
      orderNumber: d.orderNumber,
      orderUrl: orderUrl(d, c),
      reason: c.labels.cancelReason[d.reason],
      refund: d.refundMinor > 0 ? money(d.refundMinor, d.currency, c.locale) : null,
    }),
  }),
  "payment-failed": defineTemplate({
    id: "payment-failed",
    description: "Payment of an order failed",
    category: "transactional",
    channels: ["email", "sms", "push"],
    data: z.object({ ...order, amountMinor: minor, currency, reason: z.enum(PAYMENT_FAILURE_REASONS), retryable: z.boolean() }),
    vars: (d, c) => ({
      name: c.name,
      orderNumber: d.orderNumber,
      orderUrl: orderUrl(d, c),
      amount: money(d.amountMinor, d.currency, c.locale),
      reason: c.labels.paymentReason[d.reason],
      retryable: d.retryable,
    }),
  }),
  "refund-issued": defineTemplate({
    id: "refund-issued",
    description: "A refund was issued",
    category: "transactional",
    channels: ["email", "push"],
    data: z.object({ ...order, amountMinor: minor, currency, reason: z.enum(REFUND_REASONS) }),
    vars: (d, c) => ({
      name: c.name,
      orderNumber: d.orderNumber,
      orderUrl: orderUrl(d, c),
      amount: money(d.amountMinor, d.currency, c.locale),
      reason: c.labels.refundReason[d.reason],
    }),
  }),
  "shipment-dispatched": defineTemplate({
    id: "shipment-dispatched",
    description: "A shipment is on its way (carrier and tracking number)",
    category: "order_updates",
    channels: ["email", "sms", "push"],
    data: z.object({
      ...order,
      carrier: z.string().max(60),
      trackingNumber: z.string().max(80),
      trackingUrl: z.string().nullable(),
      estimatedDelivery: z.iso.date().nullable(),
    }),
    vars: (d, c) => ({
      name: c.name,
      orderNumber: d.orderNumber,
      orderUrl: orderUrl(d, c),
      carrier: d.carrier,
      trackingNumber: d.trackingNumber,
      trackingUrl: safeUrl(d.trackingUrl),
      eta: d.estimatedDelivery ? formatDate(d.estimatedDelivery, c.locale) : null,
    }),
  }),
  "delivery-completed": defineTemplate({
    id: "delivery-completed",
    description: "A shipment was delivered",
    category: "order_updates",
    channels: ["email", "push"],
    data: z.object({ ...order, deliveredAt: z.iso.datetime({ offset: true }) }),
    vars: (d, c) => ({
      name: c.name,
      orderNumber: d.orderNumber,
      orderUrl: orderUrl(d, c),
      deliveredAt: formatDateTime(d.deliveredAt, c.locale),
      returnsUrl: c.links.returns(d.orderId),
    }),
  }),
  "return-initiated": defineTemplate({
    id: "return-initiated",
    description: "A return was started (send the goods back by a date)",
    category: "transactional",
    channels: ["email"],
    data: z.object({
      ...order,
      returnId: id,
      reason: z.enum(RETURN_REASONS),
      itemCount: z.number().int().positive(),
      returnBy: z.iso.date(),
    }),
    vars: (d, c) => ({
      name: c.name,
      orderNumber: d.orderNumber,
      returnsUrl: c.links.returns(d.orderId),
      reason: c.labels.returnReason[d.reason],
      itemCount: d.itemCount,
      returnBy: formatDate(d.returnBy, c.locale),
    }),
  }),
} as const;
