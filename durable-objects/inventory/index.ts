/**
 * The inventory family's objects: one Inventory object per SKU (stock,
 * holds, ledger, live view) and one Reservation object per multi-line
 * reservation, with the types and limits the family's service and routes
 * use to talk to them.
 */
export { Inventory } from "./inventory.ts";
export { Reservation, type ReservationResult, type ReservationView } from "./reservation.ts";
export { type Line, MAX_LINES } from "./reservation-rules.ts";
export type { HoldResult, LedgerEntry, SettingsPatch, StockResult, StockView } from "./types.ts";
