/**
 * The notifications consumer group's handler. For an event that notifies
 * someone it composes the messages (reading in the consumer's transaction),
 * records skipped ones in that transaction, and sends the rest through
 * dispatch() on a connection of its own: a sent message is recorded at once
 * and never sent again, whatever happens to the transaction afterwards.
 * If a message could not be sent by any provider, the handler throws after
 * the others went out, so the queue retries the event with backoff (only the
 * failed message is tried again) and finally dead-letters it for replay.
 */
import { eq, sql } from "drizzle-orm";
import { capturedMessages, deliveries, pushSubscriptions } from "../../db/schema/notifications.ts";
import type { Envelope } from "../platform/events/envelope.ts";
import type { HandlerContext, HandlerMap } from "../../queues/consumers/framework.ts";
import type { Queryable } from "../platform/db.ts";
import { readConfig } from "../platform/env.ts";
import { log } from "../platform/log.ts";
import { compose, type Outgoing, type Skipped } from "./compose.ts";
import { recordSkipped } from "./deliveries.ts";
import { dispatch } from "./dispatch.ts";
import { NOTIFYING_EVENT_TYPES, plansFor } from "./rules.ts";
import { takeSideDb } from "./side-db.ts";

export class DeliveryIncomplete extends Error {
  override name = "DeliveryIncomplete";
}

export async function notifyForEvent(event: Envelope, { tx, env }: HandlerContext): Promise<void> {
  const plans = plansFor(event);
  if (plans.length === 0) return;
  // Taken before the first await, so the handlers of one batch share it (see side-db.ts).
  const side = takeSideDb(tx, env);
  try {
    const storefrontUrl = readConfig(env).STOREFRONT_URL;
    const outgoing: Outgoing[] = [];
    const skipped: Skipped[] = [];
    for (const plan of plans) {
      const composed = await compose(tx, { id: event.id, type: event.type }, plan, { storefrontUrl });
      outgoing.push(...composed.outgoing);
      skipped.push(...composed.skipped);
    }
    await recordSkipped(tx, skipped);
    if (outgoing.length === 0) return;

    await side.ready;
    const outcomes = await dispatch(side.db, env, outgoing);
    const pending = outcomes.filter((o) => o.retry);
    log.info("notification.event_handled", { eventId: event.id, type: event.type, messages: outcomes.length, sent: outcomes.filter((o) => o.status === "sent").length, pending: pending.length, skipped: skipped.length });
    if (pending.length > 0) {
      throw new DeliveryIncomplete(`${pending.length} of ${outcomes.length} messages for ${event.type} ${event.id} not sent yet: ${pending.map((p) => `${p.channel} ${p.deliveryId}: ${p.error ?? p.status}`).join("; ")}`);
    }
  } finally {
    side.release();
  }
}

/** An account was deleted: forget its push subscriptions and captured messages, and blank the masked addresses of its records. */
export async function eraseUserData(db: Queryable, userId: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
  await db.delete(capturedMessages).where(eq(capturedMessages.userId, userId));
  await db.update(deliveries).set({ recipientMasked: null, updatedAt: sql`now()` }).where(eq(deliveries.userId, userId));
}

export const notificationHandlers: HandlerMap = {
  ...Object.fromEntries(NOTIFYING_EVENT_TYPES.map((type) => [type, [notifyForEvent]])),
  UserDeleted: [(event, { tx }) => eraseUserData(tx, (event.payload as { userId: string }).userId)],
};
