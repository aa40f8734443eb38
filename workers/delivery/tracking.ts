/**
 * Status updates from outside the order saga: staff advancing a sandbox
 * shipment by hand, and the carriers' signed webhooks. A webhook event is
 * recorded by the carrier's event id in the transaction that applies it, so
 * a redelivery is answered without effect; a late one only adds to the
 * timeline; a move the state machine refuses is recorded and ignored.
 */
import { and, eq, sql } from "drizzle-orm";
import { carrierEvents, shipments } from "../../db/schema/delivery.ts";
import type { Database } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { invalidWebhookSignature } from "../platform/webhook-signature.ts";
import { type CarrierStatusUpdate, findCarrier } from "./carrier.ts";
import { deliveryConfig } from "./config.ts";
import { DeliveryErrors } from "./errors.ts";
import { viewOf } from "./queries.ts";
import { type CallOptions, haltLocked, lockShipment, moveShipment, recordLateScan, transactionAndRelay } from "./status.ts";
import { canTransition, decideUpdate } from "./transitions.ts";
import type { ShipmentStatus, ShipmentView } from "./types.ts";

/** Staff move a shipment (the sandbox carrier has no warehouse to scan it): legal moves only, at the current time. */
export async function advanceShipment(
  rt: Runtime,
  db: Database,
  input: { shipmentId: string; status: ShipmentStatus; note: string | null; correlationId: string },
  actor: Actor,
  options?: CallOptions,
): Promise<ShipmentView> {
  const row = await transactionAndRelay(
    rt,
    db,
    async (tx, events) => {
      const current = await lockShipment(tx, input.shipmentId);
      if (!current) throw notFound("shipment");
      const ctx = { tx, events, correlationId: input.correlationId, actor };
      if (input.status === "cancelled") {
        const halted = await haltLocked(ctx, { rt, db }, current, input.note ?? "cancelled by staff");
        if (!halted.halted) throw new ApiError(DeliveryErrors.SHIPMENT_ALREADY_DISPATCHED, `The shipment already left (${current.status})`);
        return halted.row;
      }
      if (input.status === current.status) return current;
      if (!canTransition(current.status, input.status)) {
        throw new ApiError(DeliveryErrors.INVALID_SHIPMENT_TRANSITION, `A shipment cannot go from ${current.status} to ${input.status}`, {
          from: current.status,
          to: input.status,
        });
      }
      // Never before the current status time, so the timeline stays in order even if clocks disagree.
      const at = new Date(Math.max(rt.clock.now().getTime(), current.statusAt.getTime()));
      return moveShipment(ctx, current, input.status, at, input.note, "staff");
    },
    options,
  );
  return viewOf(db, row);
}

export type WebhookOutcome = "applied" | "same" | "stale" | "illegal" | "unknown_shipment" | "duplicate";

async function applyUpdate(
  rt: Runtime,
  db: Database,
  carrier: string,
  update: CarrierStatusUpdate,
  correlationId: string,
  options: CallOptions | undefined,
): Promise<WebhookOutcome> {
  return transactionAndRelay(
    rt,
    db,
    async (tx, events) => {
      const [fresh] = await tx
        .insert(carrierEvents)
        .values({ carrier, eventId: update.eventId, outcome: "pending" })
        .onConflictDoNothing()
        .returning({ eventId: carrierEvents.eventId });
      if (!fresh) return "duplicate" as const;
      const [found] = await tx
        .select({ id: shipments.id })
        .from(shipments)
        .where(and(eq(shipments.trackingNumber, update.trackingNumber), eq(shipments.carrier, carrier)));
      const row = found ? await lockShipment(tx, found.id) : undefined;
      let outcome: WebhookOutcome = "unknown_shipment";
      if (row) {
        const decision = decideUpdate(row.status, row.statusAt, update.status, update.occurredAt);
        outcome = decision.kind === "apply" ? "applied" : decision.kind;
        if (decision.kind === "apply") {
          await moveShipment(
            { tx, events, correlationId, actor: { type: "service", id: `carrier:${carrier}` } },
            row,
            update.status,
            update.occurredAt,
            update.note,
            "carrier",
          );
        } else if (decision.kind === "stale") {
          await recordLateScan(tx, row, update.status, update.occurredAt, update.note);
        }
      }
      await tx
        .update(carrierEvents)
        .set({ outcome, shipmentId: row?.id ?? null, receivedAt: sql`now()` })
        .where(and(eq(carrierEvents.carrier, carrier), eq(carrierEvents.eventId, update.eventId)));
      return outcome;
    },
    options,
  );
}

/** Verifies and applies one webhook delivery; answers per event what happened. */
export async function handleCarrierWebhook(
  rt: Runtime,
  db: Database,
  input: { carrier: string; headers: Headers; rawBody: string; correlationId: string },
  options?: CallOptions,
): Promise<{ results: { eventId: string; outcome: WebhookOutcome }[] }> {
  const carrier = findCarrier(input.carrier);
  if (!carrier) throw new ApiError(DeliveryErrors.UNKNOWN_CARRIER, `No carrier named ${input.carrier}`);
  const secrets = deliveryConfig.read(rt).CARRIER_WEBHOOK_SECRETS[carrier.name] ?? [];
  const parsed = await carrier.parseWebhook(secrets, input.headers, input.rawBody);
  if (!parsed.ok) {
    if (parsed.reason === "invalid_payload")
      throw new ApiError(ErrorCode.VALIDATION_FAILED, `The webhook payload is not valid: ${parsed.detail}`);
    // One answer for every signature problem: which check failed is no business of the sender, only of our logs.
    log.warn("delivery.webhook_refused", { carrier: carrier.name, reason: parsed.reason });
    throw invalidWebhookSignature();
  }
  const results: { eventId: string; outcome: WebhookOutcome }[] = [];
  for (const update of parsed.updates)
    results.push({ eventId: update.eventId, outcome: await applyUpdate(rt, db, carrier.name, update, input.correlationId, options) });
  return { results };
}
