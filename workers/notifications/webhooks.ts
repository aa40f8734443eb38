/**
 * Provider reports (delivery receipts, bounces, complaints) recorded as
 * provider events, applied to the delivery records, and announced as
 * notification events in the same transaction. A hard bounce, a complaint or
 * an SMS STOP suppresses the address for later messages.
 */
import { eq, sql } from "drizzle-orm";
import { type DeliveryStatus, deliveries, providerEvents, suppressions } from "../../db/schema/notifications.ts";
import { NotificationBounced, NotificationDelivered } from "../../queues/contracts/events/notification.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { Database } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { recipientHash } from "./compose.ts";
import { findDelivery } from "./deliveries.ts";
import type { ProviderReport, ReportKind } from "./provider-reports.ts";

/** Later, stronger news wins: a delivery receipt arriving after a bounce does not undo it. */
const RANK: Record<DeliveryStatus, number> = { skipped: -1, queued: 0, failed: 0, sent: 1, delivered: 2, bounced: 3, complained: 4 };
const STATUS_FOR: Partial<Record<ReportKind, DeliveryStatus>> = {
  delivered: "delivered",
  bounce: "bounced",
  undelivered: "bounced",
  complaint: "complained",
};

export interface ReportsOutcome {
  recorded: number;
  duplicates: number;
  matched: number;
}

export function recordReports(db: Database, reports: ProviderReport[], afterCommit: (ids: string[]) => void): Promise<ReportsOutcome> {
  return transactionWithEvents(
    db,
    async (tx, events) => {
      const outcome: ReportsOutcome = { recorded: 0, duplicates: 0, matched: 0 };
      for (const r of reports) {
        let delivery = r.deliveryId ? await findDelivery(tx, r.deliveryId) : undefined;
        if (!delivery && r.providerMessageId)
          [delivery] = await tx.select().from(deliveries).where(eq(deliveries.providerMessageId, r.providerMessageId)).limit(1);
        const [inserted] = await tx
          .insert(providerEvents)
          .values({
            id: newId("pev"),
            provider: r.provider,
            providerEventId: r.providerEventId,
            kind: r.kind,
            providerMessageId: r.providerMessageId,
            deliveryId: delivery?.id ?? null,
            detail: r.detail,
            occurredAt: r.occurredAt,
          })
          .onConflictDoNothing({ target: [providerEvents.provider, providerEvents.providerEventId] })
          .returning({ id: providerEvents.id });
        if (!inserted) {
          outcome.duplicates++;
          continue;
        }
        outcome.recorded++;

        const channel = delivery?.channel ?? (r.provider === "twilio" ? "sms" : "email");
        const suppress = r.kind === "bounce" || r.kind === "complaint" || r.unsubscribed;
        const hash = delivery?.recipientHash ?? (r.address ? await recipientHash(channel, r.address) : null);
        if (suppress && hash) {
          const reason = r.unsubscribed ? "unsubscribed" : r.kind === "complaint" ? "complaint" : "bounce";
          await tx
            .insert(suppressions)
            .values({ channel, recipientHash: hash, reason, deliveryId: delivery?.id ?? null })
            .onConflictDoNothing();
        }
        if (!delivery) continue;
        outcome.matched++;

        const next = STATUS_FOR[r.kind];
        if (next && RANK[next] > RANK[delivery.status]) {
          await tx.update(deliveries).set({ status: next, updatedAt: sql`now()` }).where(eq(deliveries.id, delivery.id));
        }
        const meta = {
          subjectId: delivery.id,
          source: "notifications",
          correlationId: delivery.sourceId,
          actor: { type: "service" as const, id: r.provider },
        };
        const about = {
          notificationId: delivery.id,
          channel: delivery.channel,
          template: delivery.template,
          userId: delivery.userId,
          provider: r.provider,
        };
        if (r.kind === "delivered") await events.emit(NotificationDelivered, { ...meta, payload: about });
        else if (r.kind !== "other")
          await events.emit(NotificationBounced, { ...meta, payload: { ...about, kind: r.kind, suppressed: suppress && hash !== null } });
      }
      return outcome;
    },
    afterCommit,
  );
}
