/**
 * Which events produce which messages, to whom: a pure mapping from an event
 * to plans (template, audience, data). The data is the event's payload; each
 * template's schema keeps the fields it needs and checks them.
 */
import type { z } from "zod";
import type { Envelope } from "../platform/events/envelope.ts";
import type { EventContract } from "../platform/events/contracts.ts";
import { EmailVerificationRequested, PasswordChanged, PasswordResetRequested } from "../../queues/contracts/events/auth.ts";
import { DeliveryCompleted, ShipmentDispatched } from "../../queues/contracts/events/delivery.ts";
import { LowStockAlert } from "../../queues/contracts/events/inventory.ts";
import { OrderCancelled, OrderConfirmed, OrderCreated, ReturnInitiated } from "../../queues/contracts/events/order.ts";
import { PaymentFailed, RefundIssued } from "../../queues/contracts/events/payment.ts";
import { ReviewFlagged } from "../../queues/contracts/events/review.ts";
import { UserRegistered } from "../../queues/contracts/events/user.ts";
import type { Role } from "../platform/context.ts";
import type { TemplateId } from "./templates/catalog.ts";

export type Audience =
  /** An account: its address, phone, push subscriptions, locale and preferences. */
  | { kind: "user"; userId: string }
  /** One address named by the event (verifying or resetting): mail only, no preferences apply. */
  | { kind: "address"; userId: string; email: string; locale: string }
  /** Every account holding one of the roles. */
  | { kind: "roles"; roles: Role[] };

export interface Plan {
  template: TemplateId;
  audience: Audience;
  data: unknown;
}

/** Moderators are the support and admin roles; stock alerts go to admins. */
export const MODERATOR_ROLES: Role[] = ["support", "admin"];
export const STOCK_ALERT_ROLES: Role[] = ["admin"];

type Rule<S extends z.ZodType> = { contract: EventContract<string, S>; plans: (payload: z.output<S>) => Plan[] };
const rule = <S extends z.ZodType>(contract: EventContract<string, S>, plans: (payload: z.output<S>) => Plan[]): Rule<S> => ({ contract, plans });
const toUser = (template: TemplateId) => (p: { userId: string }): Plan[] => [{ template, audience: { kind: "user", userId: p.userId }, data: p }];

const RULES = [
  rule(UserRegistered, toUser("welcome")),
  rule(EmailVerificationRequested, (p) => [{ template: "email-verification", audience: { kind: "address", userId: p.userId, email: p.email, locale: p.locale }, data: p }]),
  rule(PasswordResetRequested, (p) => [{ template: "password-reset", audience: { kind: "address", userId: p.userId, email: p.email, locale: p.locale }, data: p }]),
  rule(PasswordChanged, toUser("password-changed")),
  rule(OrderCreated, toUser("order-created")),
  rule(OrderConfirmed, toUser("order-confirmed")),
  rule(OrderCancelled, toUser("order-cancelled")),
  rule(PaymentFailed, toUser("payment-failed")),
  rule(RefundIssued, toUser("refund-issued")),
  rule(ShipmentDispatched, toUser("shipment-dispatched")),
  rule(DeliveryCompleted, toUser("delivery-completed")),
  rule(ReturnInitiated, toUser("return-initiated")),
  rule(ReviewFlagged, (p) => [{ template: "review-flagged", audience: { kind: "roles", roles: MODERATOR_ROLES }, data: p }]),
  rule(LowStockAlert, (p) => [{ template: "low-stock", audience: { kind: "roles", roles: STOCK_ALERT_ROLES }, data: p }]),
] as Rule<z.ZodType>[];

const BY_TYPE = new Map(RULES.map((r) => [`${r.contract.type}@${r.contract.version}`, r]));

/** The event types that produce messages (the consumer subscribes its handler to these). */
export const NOTIFYING_EVENT_TYPES = [...new Set(RULES.map((r) => r.contract.type))];

/** The messages an event asks for; none for events that do not notify anyone. */
export function plansFor(event: Envelope): Plan[] {
  const found = BY_TYPE.get(`${event.type}@${event.version}`);
  return found ? found.plans(event.payload as never) : [];
}
