/**
 * The inventory family's service: what its routes, and other families (the
 * cart, orders, returns), call. Stock lives in one Inventory Durable Object
 * per SKU, multi-line reservations in one Reservation object each; refusals
 * come back as ApiErrors with stable codes.
 */
import type { Actor } from "../platform/events/envelope.ts";
import type { ReservationResult, ReservationView } from "../../durable-objects/inventory/reservation.ts";
import type { Line } from "../../durable-objects/inventory/reservation-rules.ts";
import type { HoldResult, LedgerEntry, SettingsPatch, StockResult, StockView } from "../../durable-objects/inventory/types.ts";
import type { Principal } from "../platform/context.ts";
import type { Env } from "../platform/env.ts";
import { ApiError, ErrorCode, errorDefOf, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { InventoryErrors } from "./errors.ts";

export type { Line, ReservationView, StockView, LedgerEntry };

/** Holds last 15 minutes unless asked otherwise; never longer than a day. */
export const DEFAULT_HOLD_SECONDS = 15 * 60;
export const MAX_HOLD_SECONDS = 24 * 3600;

/** The event and ledger actor of a signed-in principal. */
export const actorOf = (p: Principal): Actor => ({ type: p.kind === "service" ? "service" : "user", id: p.id });

export const stockObject = (env: Env, sku: string) => env.INVENTORY.get(env.INVENTORY.idFromName(sku));
export const reservationObject = (env: Env, reservationId: string) => env.RESERVATIONS.get(env.RESERVATIONS.idFromName(reservationId));

/** The SKU's live stock level, straight from its object. */
export async function getAvailability(env: Env, sku: string): Promise<StockView> {
  return stockObject(env, sku).level(sku);
}

export interface ReserveRequest {
  /** Idempotency: the same id (or Idempotency-Key) answers a repeat with the first outcome. */
  reservationId?: string;
  lines: Line[];
  ttlSeconds?: number;
  owner: Actor;
  correlationId: string;
}

/** Reserves every line or none; returns the reservation, or throws INSUFFICIENT_STOCK naming the line refused. */
export async function reserveStock(env: Env, req: ReserveRequest): Promise<{ reservation: ReservationView; replayed: boolean }> {
  const reservationId = req.reservationId ?? newId("res");
  const ttlMs = (req.ttlSeconds ?? DEFAULT_HOLD_SECONDS) * 1000;
  const result = await reservationObject(env, reservationId).reserve({ reservationId, owner: req.owner, lines: req.lines, ttlMs, correlationId: req.correlationId });
  return unwrap(result);
}

export async function getReservation(env: Env, reservationId: string): Promise<ReservationView | null> {
  return reservationObject(env, reservationId).get();
}

export async function commitReservation(env: Env, reservationId: string, actor: Actor): Promise<{ reservation: ReservationView; replayed: boolean }> {
  return unwrap(await reservationObject(env, reservationId).commit(actor));
}

export async function releaseReservation(env: Env, reservationId: string, actor: Actor, reason?: string): Promise<{ reservation: ReservationView; replayed: boolean }> {
  return unwrap(await reservationObject(env, reservationId).release(actor, reason));
}

export async function extendReservation(env: Env, reservationId: string, ttlSeconds: number, actor: Actor): Promise<{ reservation: ReservationView; replayed: boolean }> {
  return unwrap(await reservationObject(env, reservationId).extend(ttlSeconds * 1000, actor));
}

// ---- single holds, for callers that manage their own reservation ids (the cart)

/** One hold on one SKU under the caller's own id (idempotent on it); refusals come back as values, not errors. */
export async function holdStock(env: Env, input: { sku: string; reservationId: string; quantity: number; ttlSeconds: number; actor: Actor; correlationId?: string }) {
  const { ttlSeconds, ...rest } = input;
  return stockObject(env, input.sku).reserve({ ...rest, ttlMs: ttlSeconds * 1000 });
}

export async function releaseHold(env: Env, input: { sku: string; reservationId: string; actor: Actor; reason?: string }): Promise<HoldResult> {
  return stockObject(env, input.sku).release(input);
}

// ---- stock movements (staff, returns)

export interface MovementRequest {
  sku: string;
  operationId?: string;
  actor: Actor;
  reason?: string;
  correlationId: string;
}

const op = (r: MovementRequest) => ({ sku: r.sku, operationId: r.operationId ?? newId("iop"), actor: r.actor, reason: r.reason, correlationId: r.correlationId });

export async function restock(env: Env, r: MovementRequest & { quantity: number }): Promise<{ level: StockView; replayed: boolean }> {
  return unwrapStock(await stockObject(env, r.sku).restock({ ...op(r), quantity: r.quantity }));
}

export async function adjust(env: Env, r: MovementRequest & { delta: number }): Promise<{ level: StockView; replayed: boolean }> {
  return unwrapStock(await stockObject(env, r.sku).adjust({ ...op(r), delta: r.delta }));
}

export async function receiveReturn(env: Env, r: MovementRequest & { quantity: number; reservationId?: string }): Promise<{ level: StockView; replayed: boolean }> {
  return unwrapStock(await stockObject(env, r.sku).receiveReturn({ ...op(r), quantity: r.quantity, reservationId: r.reservationId }));
}

export async function configure(env: Env, r: MovementRequest & { settings: SettingsPatch }): Promise<{ level: StockView; replayed: boolean }> {
  return unwrapStock(await stockObject(env, r.sku).configure({ ...op(r), settings: r.settings }));
}

/** Newest first; `before` is the `seq` of the last entry of the previous page. */
export async function ledgerPage(env: Env, sku: string, opts: { before?: number; limit: number }): Promise<{ items: LedgerEntry[]; nextCursor: string | null }> {
  const rows = await stockObject(env, sku).ledger(sku, { beforeSeq: opts.before, limit: opts.limit + 1, order: "desc" });
  const items = rows.slice(0, opts.limit);
  return { items, nextCursor: rows.length > opts.limit ? String(items[items.length - 1]!.seq) : null };
}

// ---- mapping outcomes to errors

const CONFLICTS: Record<string, string> = {
  RESERVATION_EXPIRED: "The reservation has expired",
  RESERVATION_RELEASED: "The reservation was released",
  RESERVATION_COMMITTED: "The reservation is already committed",
  RESERVATION_NOT_HELD: "The reservation holds no stock",
  IDEMPOTENCY_MISMATCH: "This reservation id or Idempotency-Key was used for another request",
};

function unwrap(result: ReservationResult): { reservation: ReservationView; replayed: boolean } {
  if (result.ok) return { reservation: result.reservation, replayed: result.replayed };
  if (result.code === "RESERVATION_NOT_FOUND") throw notFound("reservation");
  if (result.code === "DEPENDENCY_UNAVAILABLE") throw new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, result.detail, { headers: { "retry-after": "1" } });
  if (result.code === "INSUFFICIENT_STOCK") {
    const r = result.reservation?.refusal;
    throw new ApiError(InventoryErrors.INSUFFICIENT_STOCK, result.detail, { lines: r ? [r] : [], errors: r ? [{ field: "lines", message: result.detail }] : undefined });
  }
  throw new ApiError(errorDefOf(result.code), CONFLICTS[result.code] ?? result.detail, { reservation: result.reservation }, 409);
}

function unwrapStock(result: StockResult): { level: StockView; replayed: boolean } {
  if (result.ok) return { level: result.level, replayed: result.replayed };
  throw new ApiError(InventoryErrors[result.code], result.detail, { available: result.available });
}
