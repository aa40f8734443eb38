/** Reading shipments: rows to views, by id, order or tracking number, and the paginated list. */
import { and, asc, desc, eq, inArray, lt } from "drizzle-orm";
import { shipmentEvents, shipments } from "../../db/schema/delivery.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";
import { ShipmentId } from "./schemas.ts";
import type { ShipmentStatus, ShipmentView, TimelineEntry } from "./types.ts";

export type ShipmentRow = typeof shipments.$inferSelect;

async function timelines(db: Queryable, ids: string[]): Promise<Map<string, TimelineEntry[]>> {
  const out = new Map<string, TimelineEntry[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .select({ shipmentId: shipmentEvents.shipmentId, status: shipmentEvents.status, at: shipmentEvents.at, note: shipmentEvents.note })
    .from(shipmentEvents)
    .where(inArray(shipmentEvents.shipmentId, ids))
    .orderBy(asc(shipmentEvents.at), asc(shipmentEvents.seq));
  for (const r of rows) out.get(r.shipmentId)!.push({ status: r.status, at: r.at.toISOString(), note: r.note });
  return out;
}

export function toView(row: ShipmentRow, timeline: TimelineEntry[]): ShipmentView {
  return {
    id: row.id,
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    userId: row.userId,
    carrier: row.carrier,
    trackingNumber: row.trackingNumber,
    trackingUrl: row.trackingUrl,
    status: row.status,
    currency: row.currency,
    lines: row.lines,
    timeline,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function viewsOf(db: Queryable, rows: ShipmentRow[]): Promise<ShipmentView[]> {
  const byId = await timelines(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toView(r, byId.get(r.id)!));
}

export async function viewOf(db: Queryable, row: ShipmentRow): Promise<ShipmentView> {
  return (await viewsOf(db, [row]))[0]!;
}

export async function shipmentRowByOrder(db: Queryable, orderId: string): Promise<ShipmentRow | undefined> {
  const [row] = await db.select().from(shipments).where(eq(shipments.orderId, orderId)).limit(1);
  return row;
}

export async function shipmentRowById(db: Queryable, id: string): Promise<ShipmentRow | undefined> {
  const [row] = await db.select().from(shipments).where(eq(shipments.id, id)).limit(1);
  return row;
}

export async function shipmentRowByTracking(db: Queryable, trackingNumber: string): Promise<ShipmentRow | undefined> {
  const [row] = await db.select().from(shipments).where(eq(shipments.trackingNumber, trackingNumber)).limit(1);
  return row;
}

export interface ShipmentFilter {
  /** Only this user's shipments (customers); staff leave it unset. */
  userId?: string;
  orderId?: string;
  status?: ShipmentStatus;
  /** The previous page's nextCursor (newest first; its key is the last shipment's id). */
  cursor?: string;
  limit: number;
}

const SHIPMENTS_SORT = "shipments:newest";

export async function listShipments(db: Queryable, f: ShipmentFilter): Promise<{ items: ShipmentView[]; nextCursor: string | null }> {
  const [before] = f.cursor !== undefined ? decodeCursor(f.cursor, SHIPMENTS_SORT, [ShipmentId]) : [];
  const where = and(
    f.userId !== undefined ? eq(shipments.userId, f.userId) : undefined,
    f.orderId !== undefined ? eq(shipments.orderId, f.orderId) : undefined,
    f.status !== undefined ? eq(shipments.status, f.status) : undefined,
    before !== undefined ? lt(shipments.id, before) : undefined,
  );
  const rows = await db
    .select()
    .from(shipments)
    .where(where)
    .orderBy(desc(shipments.id))
    .limit(f.limit + 1);
  const { page, nextCursor } = keysetPage(rows, f.limit, SHIPMENTS_SORT, (r) => [r.id]);
  return { items: await viewsOf(db, page), nextCursor };
}

/** What anyone holding the tracking number may see: no names, address, lines or order ids. */
export interface PublicTracking {
  trackingNumber: string;
  carrier: string;
  status: ShipmentStatus;
  estimatedDelivery: string | null;
  timeline: { status: string; at: string }[];
}

export async function publicTracking(db: Queryable, trackingNumber: string): Promise<PublicTracking | null> {
  const row = await shipmentRowByTracking(db, trackingNumber);
  if (!row) return null;
  const view = await viewOf(db, row);
  // Notes are left out: a carrier's note may name the person who signed or a neighbour.
  return {
    trackingNumber: row.trackingNumber,
    carrier: row.carrier,
    status: row.status,
    estimatedDelivery: row.estimatedDelivery,
    timeline: view.timeline.map((t) => ({ status: t.status, at: t.at })),
  };
}
