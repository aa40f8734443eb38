/** What a Reservation object answers: its view of a reservation record, and the shape of its results. */
import type { Actor } from "../../workers/platform/event-envelope.ts";
import { type Line, type ReservationRecord, type ReservationStatus, statusAt } from "./reservation-rules.ts";

export interface ReservationView {
  reservationId: string;
  status: ReservationStatus;
  owner: Actor;
  lines: Line[];
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  refusal: { sku: string; requested: number; available: number } | null;
}

export type ReservationResult =
  | { ok: true; reservation: ReservationView; replayed: boolean }
  | { ok: false; code: string; detail: string; reservation: ReservationView | null };

export interface ReserveLinesInput {
  reservationId: string;
  owner: Actor;
  lines: Line[];
  ttlMs: number;
  correlationId: string;
  /** The reserving request's traceparent (tracing on): the lines' events carry it. */
  traceparent?: string;
}

export const view = (r: ReservationRecord, now: number): ReservationView => ({
  reservationId: r.reservationId,
  status: statusAt(r, now),
  owner: r.owner,
  lines: r.lines,
  expiresAt: new Date(r.expiresAt).toISOString(),
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
  refusal: r.refusal,
});
