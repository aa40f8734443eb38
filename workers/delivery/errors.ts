/**
 * Error codes of the delivery family, as plain strings so other families
 * (orders) can match on them without importing the kernel's list.
 */
/** The carrier could not be reached or refused the label: nothing was stored, retry later. */
export const CARRIER_UNAVAILABLE = "CARRIER_UNAVAILABLE";
/** The order's shipment already left the warehouse: it can no longer be stopped. */
export const SHIPMENT_ALREADY_DISPATCHED = "SHIPMENT_ALREADY_DISPATCHED";
/** A status move the shipment state machine refuses. */
export const INVALID_SHIPMENT_TRANSITION = "INVALID_SHIPMENT_TRANSITION";
/** The shipping address fails validation (fields named in `errors`). */
export const INVALID_ADDRESS = "INVALID_ADDRESS";
export const INVALID_WEBHOOK_SIGNATURE = "INVALID_WEBHOOK_SIGNATURE";
export const UNKNOWN_CARRIER = "UNKNOWN_CARRIER";
/** Returns: the order has not been delivered (yet). */
export const ORDER_NOT_DELIVERED = "ORDER_NOT_DELIVERED";
/** Returns: the return window after delivery has passed. */
export const RETURN_WINDOW_CLOSED = "RETURN_WINDOW_CLOSED";
/** Returns: more units than were delivered and not yet returned. */
export const RETURN_QUANTITY_EXCEEDED = "RETURN_QUANTITY_EXCEEDED";
/** Returns: the step does not fit the return's status (e.g. inspect before receive). */
export const RETURN_STATE_CONFLICT = "RETURN_STATE_CONFLICT";
/** Returns: the order has no captured payment left to refund. */
export const NO_REFUNDABLE_PAYMENT = "NO_REFUNDABLE_PAYMENT";

export const DeliveryErrorCode = {
  CARRIER_UNAVAILABLE,
  SHIPMENT_ALREADY_DISPATCHED,
  INVALID_SHIPMENT_TRANSITION,
  INVALID_ADDRESS,
  INVALID_WEBHOOK_SIGNATURE,
  UNKNOWN_CARRIER,
  ORDER_NOT_DELIVERED,
  RETURN_WINDOW_CLOSED,
  RETURN_QUANTITY_EXCEEDED,
  RETURN_STATE_CONFLICT,
  NO_REFUNDABLE_PAYMENT,
} as const;
