/** What the object answers: its level and its holds, as plain values. */

import type { Hold, StockState } from "./stock.ts";
import * as rules from "./stock.ts";
import type { HoldView, StockView } from "./types.ts";

const iso = (t: number | null) => (t ? new Date(t).toISOString() : null);

export function stockView(state: StockState | null, liveHolds: number, nextExpiry: number | null): StockView {
  const s = state ?? rules.emptyState("");
  return {
    sku: s.sku,
    tracked: s.initialized,
    onHand: s.onHand,
    reserved: s.reserved,
    available: rules.available(s),
    status: rules.stockStatus(s),
    lowStockThreshold: s.settings.lowStockThreshold,
    reorderPoint: s.settings.reorderPoint,
    reorderQuantity: s.settings.reorderQuantity,
    version: s.version,
    updatedAt: iso(s.updatedAt),
    liveHolds,
    nextExpiryAt: iso(nextExpiry),
  };
}

export function holdView(sku: string, h: Hold, now: number): HoldView {
  return {
    reservationId: h.reservationId,
    sku,
    quantity: h.quantity,
    status: rules.effectiveStatus(h, now),
    expiresAt: new Date(h.expiresAt).toISOString(),
    createdAt: new Date(h.createdAt).toISOString(),
  };
}
