/**
 * Error codes of the delivery family (the registry: workers/platform/errors.ts).
 * Other families (orders) that match on one compare against
 * `DeliveryErrors.X.code`, exported by workers/delivery/index.ts.
 */
import { defineErrors } from "../platform/errors.ts";

export const DeliveryErrors = defineErrors({
  /** The carrier could not be reached or refused the label: nothing was stored, retry later. */
  CARRIER_UNAVAILABLE: { status: 503, title: "Carrier unavailable" },
  /** The order's shipment already left the warehouse: it can no longer be stopped. */
  SHIPMENT_ALREADY_DISPATCHED: { status: 409, title: "Shipment already dispatched" },
  /** A status move the shipment state machine refuses. */
  INVALID_SHIPMENT_TRANSITION: { status: 409, title: "Invalid shipment transition" },
  /** The shipping address fails validation (fields named in `errors`). */
  INVALID_ADDRESS: { status: 422, title: "Invalid address" },
  UNKNOWN_CARRIER: { status: 404, title: "Unknown carrier" },
  /** Returns: the order has not been delivered (yet). */
  ORDER_NOT_DELIVERED: { status: 409, title: "Order not delivered" },
  /** Returns: the return window after delivery has passed. */
  RETURN_WINDOW_CLOSED: { status: 409, title: "Return window closed" },
  /** Returns: more units than were delivered and not yet returned. */
  RETURN_QUANTITY_EXCEEDED: { status: 409, title: "Return quantity exceeded" },
  /** Returns: the step does not fit the return's status (e.g. inspect before receive). */
  RETURN_STATE_CONFLICT: { status: 409, title: "Return state conflict" },
  /** Returns: the order has no captured payment left to refund. */
  NO_REFUNDABLE_PAYMENT: { status: 409, title: "No refundable payment" },
});
