/**
 * The shipment state machine, pure. Carriers skip scans (a parcel can go
 * from label to delivered with nothing in between) and loop after a failed
 * attempt, so the table allows forward jumps and the failed-attempt loop, and
 * nothing that goes back. Updates that arrive late (older than the status
 * the shipment is in) are kept for the timeline but never change the status.
 */
import type { ShipmentStatus } from "./types.ts";

export const TRANSITIONS: Readonly<Record<ShipmentStatus, readonly ShipmentStatus[]>> = {
  label_created: ["dispatched", "in_transit", "out_for_delivery", "delivered", "cancelled"],
  dispatched: ["in_transit", "out_for_delivery", "delivered", "failed_attempt", "returned"],
  in_transit: ["out_for_delivery", "delivered", "failed_attempt", "returned"],
  out_for_delivery: ["delivered", "failed_attempt", "returned"],
  failed_attempt: ["in_transit", "out_for_delivery", "delivered", "returned"],
  delivered: [],
  returned: [],
  cancelled: [],
};

export const SHIPMENT_STATUS_LIST = Object.keys(TRANSITIONS) as ShipmentStatus[];

export function canTransition(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: ShipmentStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Whether the parcel has left the warehouse: from then on it can no longer be stopped. */
export function hasLeft(status: ShipmentStatus): boolean {
  return status !== "label_created" && status !== "cancelled";
}

export type DomainEvent = "ShipmentDispatched" | "DeliveryCompleted";

/** The events a move announces: leaving the warehouse (even when the carrier skipped the dispatch scan), and delivery. */
export function eventsFor(from: ShipmentStatus, to: ShipmentStatus): DomainEvent[] {
  const out: DomainEvent[] = [];
  if (!hasLeft(from) && hasLeft(to)) out.push("ShipmentDispatched");
  if (to === "delivered") out.push("DeliveryCompleted");
  return out;
}

export type UpdateDecision =
  /** Move to the new status. */
  | { kind: "apply"; events: DomainEvent[] }
  /** Same status again (a repeated scan): nothing to do. */
  | { kind: "same" }
  /** Older than the current status: recorded in the timeline only. */
  | { kind: "stale" }
  /** A move the table refuses (e.g. delivered back to in transit). */
  | { kind: "illegal" };

/**
 * What to do with a status update that happened at `at`, for a shipment in
 * `current` since `currentAt`. Time decides first, so an update that lost a
 * race in the network cannot undo a newer one even when the move would be
 * legal (failed attempt -> out for delivery after the parcel was delivered).
 */
export function decideUpdate(current: ShipmentStatus, currentAt: Date, to: ShipmentStatus, at: Date): UpdateDecision {
  if (to === current) return { kind: "same" };
  if (at.getTime() < currentAt.getTime()) return { kind: "stale" };
  if (!canTransition(current, to)) return { kind: "illegal" };
  return { kind: "apply", events: eventsFor(current, to) };
}
