/**
 * The notifications consumer group's handlers. For an event that notifies
 * someone it composes the messages (reading in the consumer's transaction),
 * records skipped ones in that transaction, and sends the rest through
 * dispatch() on a connection of its own: a sent message is recorded at once
 * and never sent again, whatever happens to the transaction afterwards.
 * If a message could not be sent by any provider, the handler throws after
 * the others went out, so the queue retries the event with backoff (only the
 * failed message is tried again) and finally dead-letters it for replay.
 */
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { capturedMessages, cartReminders, deliveries, pushSubscriptions } from "../../db/schema/notifications.ts";
import { platformConfig } from "../platform/config.ts";
import type { Queryable } from "../platform/db.ts";
import type { EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { type HandlerContext, on, type Subscription } from "../platform/event-handlers.ts";
import { log } from "../platform/log.ts";
import { type ComposeOptions, compose, type Outgoing, type Skipped } from "./compose.ts";
import { recordSkipped } from "./deliveries.ts";
import { dispatch } from "./dispatch.ts";
import type { Plan } from "./rules.ts";
import { takeSideDb } from "./side-db.ts";

export class DeliveryIncomplete extends Error {
  override name = "DeliveryIncomplete";
}

/**
 * The subscription that sends the messages `plans` asks for on each event of
 * `contract`. Only that contract's version notifies: the consumer framework
 * validated the payload against it, and another version of the type may
 * carry another shape.
 */
export function notifyOn<T extends string, S extends z.ZodType>(
  contract: EventContract<T, S>,
  plans: (payload: z.output<S>) => Plan[],
): Subscription {
  return on(contract, async (event, ctx) => {
    if (event.version !== contract.version) return;
    await notifyForEvent(event, plans(event.payload), ctx);
  });
}

/**
 * A last say over the messages about to go out, in the consumer's transaction (the cart reminders'
 * frequency cap): those it holds back are recorded as skipped.
 */
export type Admit = (outgoing: Outgoing[], ctx: HandlerContext) => Promise<{ admitted: Outgoing[]; held: Skipped[] }>;

/** Files the event's email messages carry (the confirmation's invoice). */
export type Extras = Pick<ComposeOptions, "attachments">;

export async function notifyForEvent(event: Envelope, plans: Plan[], ctx: HandlerContext, admit?: Admit, extras?: Extras): Promise<void> {
  const { tx, rt } = ctx;
  if (plans.length === 0) return;
  // Taken before the first await, so the handlers of one batch share it (see side-db.ts).
  const side = takeSideDb(tx, rt);
  try {
    const storefrontUrl = platformConfig.read(rt).STOREFRONT_URL;
    const outgoing: Outgoing[] = [];
    const skipped: Skipped[] = [];
    for (const plan of plans) {
      const composed = await compose(tx, { id: event.id, type: event.type }, plan, { storefrontUrl, ...extras });
      outgoing.push(...composed.outgoing);
      skipped.push(...composed.skipped);
    }
    if (admit && outgoing.length > 0) {
      const gate = await admit(outgoing, ctx);
      outgoing.splice(0, outgoing.length, ...gate.admitted);
      skipped.push(...gate.held);
    }
    await recordSkipped(tx, skipped);
    if (outgoing.length === 0) return;

    await side.ready;
    const outcomes = await dispatch(side.db, rt, outgoing);
    const pending = outcomes.filter((o) => o.retry);
    log.info("notification.event_handled", {
      eventId: event.id,
      type: event.type,
      messages: outcomes.length,
      sent: outcomes.filter((o) => o.status === "sent").length,
      pending: pending.length,
      skipped: skipped.length,
    });
    if (pending.length > 0) {
      throw new DeliveryIncomplete(
        `${pending.length} of ${outcomes.length} messages for ${event.type} ${event.id} not sent yet: ${pending.map((p) => `${p.channel} ${p.deliveryId}: ${p.error ?? p.status}`).join("; ")}`,
      );
    }
  } finally {
    side.release();
  }
}

/** An account was deleted: forget its push subscriptions and captured messages, and blank the masked addresses of its records. */
export async function eraseUserData(db: Queryable, userId: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
  await db.delete(capturedMessages).where(eq(capturedMessages.userId, userId));
  await db.delete(cartReminders).where(eq(cartReminders.userId, userId));
  await db.update(deliveries).set({ recipientMasked: null, updatedAt: sql`now()` }).where(eq(deliveries.userId, userId));
}
