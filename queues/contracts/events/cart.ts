/**
 * Cart events (topic `cart`), written by each Cart Durable Object into its
 * own SQLite outbox in the same write as the change, and published by the
 * object's alarm. `cartId` is an opaque id of one cart's lifetime (a new one
 * after expiry); payloads carry no personal data: a user's cart names only
 * the opaque user id, a guest's cart nothing about the guest but, on
 * CartAbandoned, the reminder address the guest consented to (scrubbed by the pipeline).
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";
import { currency, minor } from "./commerce-fields.ts";

const units = z.number().int().positive();
const count = z.number().int().nonnegative();

export const ItemAddedToCart = defineEvent({
  type: "ItemAddedToCart",
  version: 1,
  topic: "cart",
  description: "Units of a SKU were added to a cart (a new line, a higher quantity, or lines merged from a guest cart).",
  payload: z.object({
    cartId: z.string(),
    sku: z.string(),
    /** Units added by this change. */
    quantity: units,
    /** The line's quantity after it. */
    lineQuantity: units,
    /** The catalogue's unit price (discounts applied) when the units were added. */
    unitPriceMinor: minor,
    currency,
    via: z.enum(["add", "update", "merge"]),
  }),
});

export const ItemRemovedFromCart = defineEvent({
  type: "ItemRemovedFromCart",
  version: 1,
  topic: "cart",
  description: "Units of a SKU left a cart: the line was removed, its quantity lowered, or the cart cleared.",
  payload: z.object({
    cartId: z.string(),
    sku: z.string(),
    /** Units removed by this change. */
    quantity: units,
    /** The line's quantity after it (0: the line is gone). */
    lineQuantity: count,
    reason: z.enum(["removed", "reduced", "cleared"]),
  }),
});

export const CartAbandoned = defineEvent({
  type: "CartAbandoned",
  version: 1,
  topic: "cart",
  description: "A cart with lines saw no change for the idle time and expired; carries what it held.",
  payload: z.object({
    cartId: z.string(),
    /** The opaque id of the cart's user, or null for a guest cart. */
    userId: z.string().nullable(),
    lines: z.array(z.object({ sku: z.string(), quantity: units, unitPriceMinor: minor, currency })),
    itemCount: units,
    lastActivityAt: z.string(),
    idleSeconds: z.number().int().positive(),
    /**
     * A guest cart's reminder address, present only when the guest gave one with
     * explicit consent to marketing mail (the pipeline drops the address).
     */
    guestContact: z.object({ email: z.email().max(254), locale: z.string().min(2).max(10) }).nullish(),
  }),
});

export const CartRecovered = defineEvent({
  type: "CartRecovered",
  version: 1,
  topic: "cart",
  description: "A cart reminder's link put an abandoned cart's lines back into its user's cart (once per abandoned cart).",
  payload: z.object({
    /** The cart the lines went into. */
    cartId: z.string(),
    /** The abandoned cart the reminder was about (its CartAbandoned's cartId). */
    abandonedCartId: z.string(),
    userId: z.string(),
    /** Units in the cart after the restore. */
    itemCount: count,
  }),
});
