/** What the Inventory object's RPC methods take and return (structured-clone friendly). */
import type { Actor } from "../../workers/platform/event-envelope.ts";
import type { HoldStatus, StockSettings, StockStatus } from "./stock.ts";

export interface Caller {
  actor: Actor;
  /** Ties the events of this call to a request; defaults to the reservation or operation id. */
  correlationId?: string;
  /** The causing request's W3C traceparent (tracing on): the events of this call carry it across the queue hop. */
  traceparent?: string;
}

export interface StockView {
  sku: string;
  /** False for a SKU that never had stock: nothing is available. */
  tracked: boolean;
  onHand: number;
  reserved: number;
  available: number;
  status: StockStatus;
  lowStockThreshold: number;
  reorderPoint: number;
  reorderQuantity: number;
  version: number;
  updatedAt: string | null;
  liveHolds: number;
  nextExpiryAt: string | null;
}

export interface HoldView {
  reservationId: string;
  sku: string;
  quantity: number;
  status: HoldStatus;
  expiresAt: string;
  createdAt: string;
}

export type HoldRefusal = "HOLD_EXPIRED" | "HOLD_RELEASED" | "HOLD_COMMITTED";

export type ReserveResult =
  | { ok: true; hold: HoldView; replayed: boolean; available: number }
  | { ok: false; code: "INSUFFICIENT_STOCK"; available: number }
  | { ok: false; code: "RESERVATION_MISMATCH"; hold: HoldView }
  | { ok: false; code: HoldRefusal; hold: HoldView };

export type HoldResult =
  | { ok: true; hold: HoldView; replayed: boolean }
  | { ok: false; code: "HOLD_NOT_FOUND" }
  | { ok: false; code: HoldRefusal; hold: HoldView };

export type StockResult =
  | { ok: true; replayed: boolean; level: StockView }
  | { ok: false; code: "STOCK_BELOW_HELD" | "ALREADY_INITIALISED"; available: number; detail: string };

export interface ReserveInput extends Caller {
  sku: string;
  reservationId: string;
  quantity: number;
  /** Either a time to live or an absolute expiry (ms since the epoch), so the lines of one reservation expire together. */
  ttlMs?: number;
  expiresAt?: number;
}

export interface HoldInput extends Caller {
  sku: string;
  reservationId: string;
  reason?: string;
}

export interface OperationInput extends Caller {
  sku: string;
  /** Idempotency: an operation id that succeeded once is never applied again. */
  operationId: string;
  reason?: string;
}

export type SettingsPatch = Partial<StockSettings>;

export interface LedgerEntry {
  seq: number;
  at: string;
  kind: string;
  quantity: number;
  onHandDelta: number;
  reservedDelta: number;
  onHand: number;
  reserved: number;
  reservationId: string | null;
  actor: string;
  reason: string | null;
  operationId: string | null;
  version: number;
}

export const refusalCode = (status: HoldStatus): HoldRefusal =>
  status === "committed" ? "HOLD_COMMITTED" : status === "released" ? "HOLD_RELEASED" : "HOLD_EXPIRED";
