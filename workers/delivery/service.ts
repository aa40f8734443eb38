/**
 * The delivery family's service: the only code that touches the delivery
 * tables. Orders calls these functions from its saga (through index.ts,
 * not over HTTP); the routes, webhooks and the fulfilment consumer go
 * through them too.
 */
import { shipmentEvents, shipments } from "../../db/schema/delivery.ts";
import { ShipmentCreated } from "../../queues/contracts/events/delivery.ts";
import type { Database } from "../platform/db.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { eventFrom } from "../platform/scope.ts";
import { type ShippingAddress, validateAddress } from "./address.ts";
import { DEFAULT_CARRIER, guardedCarrierCall, type Label } from "./carrier.ts";
import { DeliveryErrors } from "./errors.ts";
import { shipmentRowByOrder, viewOf } from "./queries.ts";
import { type CallOptions, carrierUnavailable, haltLocked, lockShipmentOfOrder, SOURCE, SYSTEM, transactionAndRelay } from "./status.ts";
import type { ShipmentLine, ShipmentView } from "./types.ts";

export type { ShipmentLine, ShipmentView } from "./types.ts";

export interface CreateShipmentInput {
  orderId: string;
  orderNumber: string;
  userId: string;
  paymentId: string;
  address: ShippingAddress;
  lines: ShipmentLine[];
  currency: string;
  correlationId: string;
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(ErrorCode.VALIDATION_FAILED, `The shipment request is not valid: ${field} ${message}`, {
    errors: [{ field, message }],
  });
}

function checkLines(lines: ShipmentLine[], currency: string): void {
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid("currency", "must be an ISO 4217 code");
  if (lines.length === 0) throw invalid("lines", "must not be empty");
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (!l.sku || seen.has(l.sku)) throw invalid(`lines.${i}.sku`, "must be present and unique");
    seen.add(l.sku);
    if (!Number.isInteger(l.quantity) || l.quantity < 1) throw invalid(`lines.${i}.quantity`, "must be a positive integer");
    if (!Number.isInteger(l.unitPaidMinor) || l.unitPaidMinor < 0)
      throw invalid(`lines.${i}.unitPaidMinor`, "must be a non-negative integer");
  });
}

/** As `createShipmentForOrder`, with the actor the events name (staff for the admin route) and the caller's publishing. */
export async function createShipment(
  rt: Runtime,
  db: Database,
  input: CreateShipmentInput,
  actor: Actor | null,
  options?: CallOptions,
): Promise<ShipmentView> {
  const existing = await shipmentRowByOrder(db, input.orderId);
  if (existing) return viewOf(db, existing);

  const checked = validateAddress(input.address);
  if (!checked.ok) {
    throw new ApiError(DeliveryErrors.INVALID_ADDRESS, "The shipping address is not valid", {
      errors: checked.issues.map((i) => ({ field: i.path ? `address.${i.path}` : "address", message: i.message })),
    });
  }
  checkLines(input.lines, input.currency);
  const lines = input.lines.map(({ sku, productId, name, quantity, unitPaidMinor }) => ({ sku, productId, name, quantity, unitPaidMinor }));

  // The label key is the order: two racing calls (or a retry after a lost answer) get the same label.
  let label: Label;
  try {
    label = await guardedCarrierCall({ rt, db }, "create_label", () =>
      DEFAULT_CARRIER.createLabel(
        { rt, db },
        {
          idempotencyKey: `order:${input.orderId}`,
          orderId: input.orderId,
          orderNumber: input.orderNumber,
          address: checked.address,
          lines,
        },
      ),
    );
  } catch (err) {
    throw carrierUnavailable(err);
  }

  const id = newId("shp");
  const now = rt.clock.now();
  await transactionAndRelay(
    rt,
    db,
    async (tx, events) => {
      const [row] = await tx
        .insert(shipments)
        .values({
          id,
          orderId: input.orderId,
          orderNumber: input.orderNumber,
          userId: input.userId,
          paymentId: input.paymentId || null,
          carrier: DEFAULT_CARRIER.name,
          carrierLabelId: label.labelId,
          trackingNumber: label.trackingNumber,
          trackingUrl: label.trackingUrl,
          status: "label_created",
          statusAt: now,
          currency: input.currency,
          lines,
          address: checked.address,
          country: checked.address.country,
          estimatedDelivery: label.estimatedDelivery,
        })
        // The unique index on order_id decides a race: the loser inserts nothing and reads the winner's row.
        // No arbiter is named: the racers share the label, so the tracking-number index may be the one that fires.
        .onConflictDoNothing()
        .returning({ id: shipments.id });
      if (!row) return;
      await tx.insert(shipmentEvents).values({ shipmentId: id, status: "label_created", at: now, note: null, source: "system" });
      await events.emit(
        ShipmentCreated,
        eventFrom({ correlationId: input.correlationId, actor }, SOURCE, id, {
          shipmentId: id,
          orderId: input.orderId,
          orderNumber: input.orderNumber,
          userId: input.userId,
          carrier: DEFAULT_CARRIER.name,
          trackingNumber: label.trackingNumber,
          trackingUrl: label.trackingUrl,
          country: checked.address.country,
        }),
      );
    },
    options,
  );
  const row = await shipmentRowByOrder(db, input.orderId);
  // Only a tracking number already used by another order (the carrier's fault) leaves no row.
  if (!row) throw carrierUnavailable(new Error(`tracking number ${label.trackingNumber} is already in use`));
  return viewOf(db, row);
}

/**
 * Creates THE shipment of an order: exactly one per orderId (a repeat returns
 * the existing one, also under concurrency; a unique index enforces it).
 * Calls the carrier for a label; throws ApiError 503 CARRIER_UNAVAILABLE when
 * the carrier fails (nothing is stored then, so a retry is clean). Emits
 * ShipmentCreated.
 */
export function createShipmentForOrder(rt: Runtime, db: Database, input: CreateShipmentInput): Promise<ShipmentView> {
  return createShipment(rt, db, input, SYSTEM);
}

/** As `haltShipmentForOrder`, with the actor the events name. */
export async function haltShipment(
  rt: Runtime,
  db: Database,
  input: { orderId: string; correlationId: string; note?: string },
  actor: Actor | null,
): Promise<{ halted: boolean; shipment: ShipmentView | null }> {
  const result = await transactionAndRelay(rt, db, async (tx, events) => {
    const row = await lockShipmentOfOrder(tx, input.orderId);
    if (!row) return null;
    return haltLocked({ tx, events, correlationId: input.correlationId, actor }, { rt, db }, row, input.note ?? "halted: order cancelled");
  });
  if (!result) return { halted: true, shipment: null };
  return { halted: result.halted, shipment: await viewOf(db, result.row) };
}

/**
 * Stops the shipment of an order before dispatch (status cancelled;
 * idempotent). Returns {halted:true} when stopped or when there was none,
 * {halted:false, shipment} when it already left (dispatched or later).
 */
export function haltShipmentForOrder(
  rt: Runtime,
  db: Database,
  input: { orderId: string; correlationId: string },
): Promise<{ halted: boolean; shipment: ShipmentView | null }> {
  return haltShipment(rt, db, input, SYSTEM);
}

export async function shipmentForOrder(db: Database, orderId: string): Promise<ShipmentView | null> {
  const row = await shipmentRowByOrder(db, orderId);
  return row ? viewOf(db, row) : null;
}
