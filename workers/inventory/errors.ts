/** Error codes of the inventory family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const InventoryErrors = defineErrors({
  INSUFFICIENT_STOCK: { status: 409, title: "Insufficient stock" },
  RESERVATION_EXPIRED: { status: 409, title: "Reservation expired" },
  RESERVATION_RELEASED: { status: 409, title: "Reservation released" },
  RESERVATION_COMMITTED: { status: 409, title: "Reservation committed" },
  RESERVATION_NOT_HELD: { status: 409, title: "Reservation not held" },
  RESERVATION_MISMATCH: { status: 409, title: "Reservation mismatch" },
  IDEMPOTENCY_MISMATCH: { status: 409, title: "Idempotency mismatch" },
  HOLD_NOT_FOUND: { status: 404, title: "Hold not found" },
  STOCK_BELOW_HELD: { status: 409, title: "Stock below held" },
  ALREADY_INITIALISED: { status: 409, title: "Already initialised" },
  HOLD_LIMIT: { status: 422, title: "Hold limit" },
  WEBSOCKET_UPGRADE_REQUIRED: { status: 426, title: "WebSocket upgrade required" },
});
