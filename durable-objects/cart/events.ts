/** Builds the envelopes a cart change announces (written to the object's outbox with the change). */

import { CartAbandoned, ItemAddedToCart, ItemRemovedFromCart } from "../../queues/contracts/events/cart.ts";
import { buildEvent } from "../../workers/platform/event-contracts.ts";
import type { Actor } from "../../workers/platform/event-envelope.ts";
import type { CartEffect, CartState } from "./cart-rules.ts";
import { reminderContact } from "./guest-contact.ts";
import type { OutboxEntry } from "./store.ts";

const SOURCE = "cart";

export interface EventContext {
  correlationId: string;
  actor: Actor | null;
  now: number;
  /** The causing request's traceparent, when it was traced. */
  traceparent?: string | undefined;
}

export function effectEvents(cartId: string, effects: readonly CartEffect[], ctx: EventContext): OutboxEntry[] {
  const base = {
    subjectId: cartId,
    source: SOURCE,
    correlationId: ctx.correlationId,
    actor: ctx.actor,
    occurredAt: new Date(ctx.now),
    ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}),
  };
  return effects.map((e) => {
    const envelope =
      e.kind === "added"
        ? buildEvent(ItemAddedToCart, {
            ...base,
            payload: {
              cartId,
              sku: e.sku,
              quantity: e.quantity,
              lineQuantity: e.lineQuantity,
              unitPriceMinor: e.unitPriceMinor,
              currency: e.currency,
              via: e.via,
            },
          })
        : buildEvent(ItemRemovedFromCart, {
            ...base,
            payload: { cartId, sku: e.sku, quantity: e.quantity, lineQuantity: e.lineQuantity, reason: e.reason },
          });
    return { id: envelope.id, envelope };
  });
}

export function abandonedEvent(state: CartState, now: number): OutboxEntry {
  const envelope = buildEvent(CartAbandoned, {
    subjectId: state.cartId,
    source: SOURCE,
    correlationId: `cart-expiry:${state.cartId}`,
    actor: { type: "system", id: "cart-expiry" },
    occurredAt: new Date(now),
    payload: {
      cartId: state.cartId,
      userId: state.userId,
      lines: state.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceMinor: l.addedUnitPriceMinor, currency: l.currency })),
      itemCount: state.lines.reduce((n, l) => n + l.quantity, 0),
      lastActivityAt: new Date(state.lastActivityAt).toISOString(),
      idleSeconds: Math.max(1, Math.round((now - state.lastActivityAt) / 1000)),
      guestContact: reminderContact(state),
    },
  });
  return { id: envelope.id, envelope };
}
