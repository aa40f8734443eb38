/** The catalogue's vocabulary: channels, categories and the shape of a template definition. */
import type { z } from "zod";
import type { ORDER_CANCEL_REASONS, RETURN_REASONS } from "../../../queues/contracts/events/order.ts";
import type { PAYMENT_FAILURE_REASONS, REFUND_REASONS } from "../../../queues/contracts/events/payment.ts";
import type { REVIEW_FLAG_REASONS } from "../../../queues/contracts/events/review.ts";
import type { Vars } from "./engine.ts";
import type { Links } from "./format.ts";

export const CHANNELS = ["email", "sms", "push"] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * - security: account safety (verification, reset, password changed): always sent, even to suppressed addresses;
 * - transactional: about an order the customer placed: sent whatever the opt-outs;
 * - order_updates: progress of an order (shipping): follows the `orderUpdates` preference;
 * - marketing: only with the `marketingEmails` opt-in and a verified address;
 * - staff: operational alerts to staff roles.
 */
export const CATEGORIES = ["security", "transactional", "order_updates", "marketing", "staff"] as const;
export type Category = (typeof CATEGORIES)[number];

export interface LocalizedTemplate {
  subject: string;
  html: string;
  text: string;
  sms?: string;
  push?: { title: string; body: string };
}

export interface Labels {
  cancelReason: Record<(typeof ORDER_CANCEL_REASONS)[number], string>;
  paymentReason: Record<(typeof PAYMENT_FAILURE_REASONS)[number], string>;
  refundReason: Record<(typeof REFUND_REASONS)[number], string>;
  returnReason: Record<(typeof RETURN_REASONS)[number], string>;
  flagReason: Record<(typeof REVIEW_FLAG_REASONS)[number], string>;
  flaggedBy: Record<"customer" | "automatic", string>;
}

export interface VarsContext {
  locale: string;
  links: Links;
  /** The recipient's name ("" when unknown). */
  name: string;
  labels: Labels;
}

export interface TemplateDef<S extends z.ZodType = z.ZodType> {
  id: string;
  description: string;
  /** null: the sender chooses (admin messages). */
  category: Category | null;
  channels: readonly Channel[];
  data: S;
  vars(data: z.output<S>, ctx: VarsContext): Vars;
}

/** Checks a template's definition against its data schema while keeping the schema's own type. */
export const defineTemplate = <S extends z.ZodType>(t: TemplateDef<S>) => t;
