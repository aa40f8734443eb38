/**
 * The inventory family's service: what its routes, and other families (the
 * cart, orders, returns), call. Stock lives in one Inventory Durable Object
 * per SKU, multi-line reservations in one Reservation object each; refusals
 * come back as ApiErrors with stable codes.
 */
import { z } from "@hono/zod-openapi";
import type {
  HoldResult,
  Inventory,
  LedgerEntry,
  Line,
  Reservation,
  ReservationResult,
  ReservationView,
  SettingsPatch,
  StockResult,
  StockView,
} from "../../durable-objects/inventory/index.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import { ApiError, ErrorCode, errorDefOf, notFound } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { traceparentOf } from "../platform/tracing/request-tracing.ts";
import { InventoryErrors } from "./errors.ts";

export type { LedgerEntry, Line, ReservationView, StockView };

/** One live hold of a SKU, as staff see it. */
export interface SkuHold {
  reservationId: string;
  sku: string;
  quantity: number;
  status: "held" | "pinned";
  expiresAt: string;
  createdAt: string;
  actor: string;
}

/** Holds last 15 minutes unless asked otherwise; never longer than a day. */
export const DEFAULT_HOLD_SECONDS = 15 * 60;
export const MAX_HOLD_SECONDS = 24 * 3600;

export const stockObject = (rt: Pick<Runtime, "objects">, sku: string) => rt.objects.get<Inventory>("INVENTORY", sku);
export const reservationObject = (rt: Pick<Runtime, "objects">, reservationId: string) =>
  rt.objects.get<Reservation>("RESERVATION", reservationId);

/** The traced work's traceparent (a request's, a job's, a saga run's), for the events the object writes. */
const traced = (rt: object): { traceparent?: string } => {
  const traceparent = traceparentOf(rt);
  return traceparent ? { traceparent } : {};
};

/** The SKU's live stock level, straight from its object. */
export async function getAvailability(rt: Runtime, sku: string): Promise<StockView> {
  return stockObject(rt, sku).level(sku);
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
export async function reserveStock(rt: Runtime, req: ReserveRequest): Promise<{ reservation: ReservationView; replayed: boolean }> {
  const reservationId = req.reservationId ?? newId("res");
  const ttlMs = (req.ttlSeconds ?? DEFAULT_HOLD_SECONDS) * 1000;
  const result = await reservationObject(rt, reservationId).reserve({
    reservationId,
    owner: req.owner,
    lines: req.lines,
    ttlMs,
    correlationId: req.correlationId,
    ...traced(rt),
  });
  return unwrap(result);
}

export async function getReservation(rt: Runtime, reservationId: string): Promise<ReservationView | null> {
  return reservationObject(rt, reservationId).get();
}

export async function commitReservation(
  rt: Runtime,
  reservationId: string,
  actor: Actor,
): Promise<{ reservation: ReservationView; replayed: boolean }> {
  return unwrap(await reservationObject(rt, reservationId).commit(actor, traceparentOf(rt)));
}

export async function releaseReservation(
  rt: Runtime,
  reservationId: string,
  actor: Actor,
  reason?: string,
): Promise<{ reservation: ReservationView; replayed: boolean }> {
  return unwrap(await reservationObject(rt, reservationId).release(actor, reason, traceparentOf(rt)));
}

export async function extendReservation(
  rt: Runtime,
  reservationId: string,
  ttlSeconds: number,
  actor: Actor,
): Promise<{ reservation: ReservationView; replayed: boolean }> {
  return unwrap(await reservationObject(rt, reservationId).extend(ttlSeconds * 1000, actor));
}

// ---- single holds, under the caller's own reservation id

/** Releases one SKU's hold; a refusal comes back as a value, not an error. */
export async function releaseHold(
  rt: Runtime,
  input: { sku: string; reservationId: string; actor: Actor; reason?: string },
): Promise<HoldResult> {
  return stockObject(rt, input.sku).release({ ...input, ...traced(rt) });
}

// ---- stock movements (staff, returns)

export interface MovementRequest {
  sku: string;
  operationId?: string;
  actor: Actor;
  reason?: string;
  correlationId: string;
}

const op = (rt: object, r: MovementRequest) => ({
  sku: r.sku,
  operationId: r.operationId ?? newId("iop"),
  actor: r.actor,
  reason: r.reason,
  correlationId: r.correlationId,
  ...traced(rt),
});

export async function restock(rt: Runtime, r: MovementRequest & { quantity: number }): Promise<{ level: StockView; replayed: boolean }> {
  return unwrapStock(await stockObject(rt, r.sku).restock({ ...op(rt, r), quantity: r.quantity }));
}

export async function adjust(rt: Runtime, r: MovementRequest & { delta: number }): Promise<{ level: StockView; replayed: boolean }> {
  return unwrapStock(await stockObject(rt, r.sku).adjust({ ...op(rt, r), delta: r.delta }));
}

export async function receiveReturn(
  rt: Runtime,
  r: MovementRequest & { quantity: number; reservationId?: string },
): Promise<{ level: StockView; replayed: boolean }> {
  return unwrapStock(await stockObject(rt, r.sku).receiveReturn({ ...op(rt, r), quantity: r.quantity, reservationId: r.reservationId }));
}

export async function configure(
  rt: Runtime,
  r: MovementRequest & { settings: SettingsPatch },
): Promise<{ level: StockView; replayed: boolean }> {
  return unwrapStock(await stockObject(rt, r.sku).configure({ ...op(rt, r), settings: r.settings }));
}

/** A SKU's ledger pages newest first; the cursor's key is the last entry's `seq`. */
const LEDGER_SORT = "ledger:seq-desc";
const Seq = z.number().int().min(0);

/** Newest first; `cursor` is the previous page's nextCursor. */
export async function ledgerPage(
  rt: Runtime,
  sku: string,
  opts: { cursor?: string; limit: number },
): Promise<{ items: LedgerEntry[]; nextCursor: string | null }> {
  const [before] = opts.cursor ? decodeCursor(opts.cursor, LEDGER_SORT, [Seq]) : [];
  const rows = await stockObject(rt, sku).ledger(sku, { beforeSeq: before, limit: opts.limit + 1, order: "desc" });
  const { page, nextCursor } = keysetPage(rows, opts.limit, LEDGER_SORT, (e) => [e.seq]);
  return { items: page, nextCursor };
}

/** A SKU's live holds, soonest expiry first; the cursor's key is the last hold's (expiry, reservation id). */
const HOLDS_SORT = "holds:expires-asc";

export async function liveHoldsPage(
  rt: Runtime,
  sku: string,
  opts: { cursor?: string; limit: number },
): Promise<{ items: SkuHold[]; nextCursor: string | null }> {
  const after = opts.cursor ? decodeCursor(opts.cursor, HOLDS_SORT, [z.number().int().nonnegative(), "string"]) : null;
  const rows = await stockObject(rt, sku).liveHolds(sku, { after, limit: opts.limit + 1 });
  const { page, nextCursor } = keysetPage(rows, opts.limit, HOLDS_SORT, (h) => [Date.parse(h.expiresAt), h.reservationId]);
  return { items: page as SkuHold[], nextCursor };
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
  if (result.code === "DEPENDENCY_UNAVAILABLE")
    throw new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, result.detail, { headers: { "retry-after": "1" } });
  if (result.code === "INSUFFICIENT_STOCK") {
    const r = result.reservation?.refusal;
    throw new ApiError(InventoryErrors.INSUFFICIENT_STOCK, result.detail, {
      lines: r ? [r] : [],
      errors: r ? [{ field: "lines", message: result.detail }] : undefined,
    });
  }
  throw new ApiError(errorDefOf(result.code), CONFLICTS[result.code] ?? result.detail, { reservation: result.reservation }, 409);
}

function unwrapStock(result: StockResult): { level: StockView; replayed: boolean } {
  if (result.ok) return { level: result.level, replayed: result.replayed };
  throw new ApiError(InventoryErrors[result.code], result.detail, { available: result.available });
}
