/**
 * The notification templates: for each, its category (which decides how
 * preferences apply), the channels it uses, the data it needs (a zod schema:
 * events and admin requests are checked against it) and how that data
 * becomes the variables of its localized texts (templates/<locale>.ts).
 */
import { z } from "zod";
import { ORDER_CANCEL_REASONS, RETURN_REASONS } from "../../../queues/contracts/events/order.ts";
import { PAYMENT_FAILURE_REASONS, REFUND_REASONS } from "../../../queues/contracts/events/payment.ts";
import { REVIEW_FLAG_REASONS } from "../../../queues/contracts/events/review.ts";
import { formatDate, formatDateTime, formatMoney, type Links, safeUrl } from "./format.ts";
import { cartReminder } from "./marketing.ts";

export {
  CATEGORIES,
  type Category,
  CHANNELS,
  type Channel,
  type Labels,
  type LocalizedTemplate,
  type TemplateDef,
} from "./template-types.ts";

import type { TemplateDef } from "./template-types.ts";

const define = <S extends z.ZodType>(t: TemplateDef<S>) => t;
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

export const TEMPLATES = {
  welcome: define({
    id: "welcome",
    description: "Welcome after registration",
    category: "transactional",
    channels: ["email"],
    data: z.object({}),
    vars: (_d, c) => ({ name: c.name, shopUrl: c.links.home }),
  }),
  "email-verification": define({
    id: "email-verification",
    description: "Confirm an email address (carries a single-use token)",
    category: "security",
    channels: ["email"],
    data: z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }) }),
    vars: (d, c) => ({ name: c.name, url: c.links.verifyEmail(d.token), expires: formatDateTime(d.expiresAt, c.locale) }),
  }),
  "password-reset": define({
    id: "password-reset",
    description: "Reset a forgotten password (carries a single-use token)",
    category: "security",
    channels: ["email"],
    data: z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }) }),
    vars: (d, c) => ({ name: c.name, url: c.links.resetPassword(d.token), expires: formatDateTime(d.expiresAt, c.locale) }),
  }),
  "email-change": define({
    id: "email-change",
    description: "Confirm the new address an account asked to move to (carries a single-use token)",
    category: "security",
    channels: ["email"],
    data: z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }) }),
    vars: (d, c) => ({ name: c.name, url: c.links.confirmEmailChange(d.token), expires: formatDateTime(d.expiresAt, c.locale) }),
  }),
  "email-changed": define({
    id: "email-changed",
    description: "Security notice to the previous address: the account moved to another one (carries a single-use revert token)",
    category: "security",
    channels: ["email"],
    data: z.object({ token: z.string().min(1), expiresAt: z.iso.datetime({ offset: true }), newEmailHint: z.string().min(1).max(320) }),
    vars: (d, c) => ({
      name: c.name,
      url: c.links.revertEmailChange(d.token),
      expires: formatDateTime(d.expiresAt, c.locale),
      newEmail: d.newEmailHint,
    }),
  }),
  "password-changed": define({
    id: "password-changed",
    description: "Security notice: the password was changed",
    category: "security",
    channels: ["email", "push"],
    data: z.object({ via: z.enum(["reset", "change"]) }),
    vars: (d, c) => ({ name: c.name, viaReset: d.via === "reset", securityUrl: c.links.security }),
  }),
  "order-created": define({
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
  "order-confirmed": define({
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
  "order-cancelled": define({
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
  "payment-failed": define({
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
  "refund-issued": define({
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
  "shipment-dispatched": define({
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
  "delivery-completed": define({
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
  "return-initiated": define({
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
  "review-flagged": define({
    id: "review-flagged",
    description: "Moderators: a review was flagged",
    category: "staff",
    channels: ["email", "push"],
    data: z.object({
      reviewId: id,
      productId: id,
      reason: z.enum(REVIEW_FLAG_REASONS),
      flaggedBy: z.enum(["customer", "automatic"]),
      flagCount: z.number().int().positive(),
    }),
    vars: (d, c) => ({
      name: c.name,
      reviewId: d.reviewId,
      productId: d.productId,
      reason: c.labels.flagReason[d.reason],
      flaggedBy: c.labels.flaggedBy[d.flaggedBy],
      flagCount: d.flagCount,
      url: c.links.reviewModeration(d.reviewId),
    }),
  }),
  "low-stock": define({
    id: "low-stock",
    description: "Admins: a SKU fell below its low-stock threshold",
    category: "staff",
    channels: ["email", "push"],
    data: z.object({
      sku: z.string(),
      available: z.number().int().nonnegative(),
      onHand: z.number().int().nonnegative(),
      lowStockThreshold: z.number().int().nonnegative(),
    }),
    vars: (d, c) => ({
      name: c.name,
      sku: d.sku,
      available: d.available,
      onHand: d.onHand,
      threshold: d.lowStockThreshold,
      url: c.links.stock(d.sku),
    }),
  }),
  "report-ready": define({
    id: "report-ready",
    description: "Staff: a scheduled report is ready (links to its files)",
    category: "staff",
    channels: ["email"],
    data: z.object({
      title: z.string().min(1).max(200),
      from: z.iso.date(),
      to: z.iso.date(),
      files: z
        .array(z.object({ format: z.enum(["csv", "xlsx", "pdf"]), url: z.url({ protocol: /^https?$/ }) }))
        .min(1)
        .max(3),
      expiresAt: z.iso.datetime({ offset: true }),
      /** Whether the files travel with the mail as attachments too. */
      attached: z.boolean().optional(),
    }),
    vars: (d, c) => ({
      name: c.name,
      title: d.title,
      attached: d.attached ? [{}] : [],
      from: formatDate(d.from, c.locale),
      to: formatDate(d.to, c.locale),
      files: d.files.map((f) => ({ label: { csv: "CSV", xlsx: "Excel", pdf: "PDF" }[f.format], url: safeUrl(f.url) })),
      expires: formatDateTime(d.expiresAt, c.locale),
    }),
  }),
  "report-failed": define({
    id: "report-failed",
    description: "Staff: a scheduled report failed after its retries",
    category: "staff",
    channels: ["email"],
    data: z.object({ title: z.string().min(1).max(200), from: z.iso.date(), to: z.iso.date(), attempts: z.number().int().positive() }),
    vars: (d, c) => ({
      name: c.name,
      title: d.title,
      from: formatDate(d.from, c.locale),
      to: formatDate(d.to, c.locale),
      attempts: d.attempts,
    }),
  }),
  "cart-reminder": define(cartReminder),
  message: define({
    id: "message",
    description: "A message written by an administrator (subject and text; blank lines separate paragraphs)",
    category: null,
    channels: ["email", "sms", "push"],
    data: z.object({
      subject: z.string().min(1).max(150),
      body: z.string().min(1).max(5000),
      actionUrl: z
        .url({ protocol: /^https?$/ })
        .nullable()
        .default(null),
      actionLabel: z.string().max(60).nullable().default(null),
    }),
    vars: (d, c) => ({
      name: c.name,
      subject: d.subject,
      body: d.body,
      paragraphs: d.body
        .split(/\n\s*\n/)
        .map((p) => ({ text: p.trim() }))
        .filter((p) => p.text),
      action: safeUrl(d.actionUrl) ? { url: safeUrl(d.actionUrl)!, label: d.actionLabel ?? d.actionUrl! } : null,
    }),
  }),
} as const;

export type TemplateId = keyof typeof TEMPLATES;
export const TEMPLATE_IDS = Object.keys(TEMPLATES) as [TemplateId, ...TemplateId[]];

export function templateDef(id: TemplateId): TemplateDef {
  return TEMPLATES[id] as unknown as TemplateDef;
}
