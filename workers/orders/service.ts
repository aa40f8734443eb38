/**
 * The orders family's service: what its routes, its event handlers and its
 * job call. Every change to an order goes through the order's object
 * (OrderSaga), the single writer; reads go to Postgres directly.
 */
import {
  loadBundle,
  loadOrder,
  type OrderBundle,
  type OrderRow,
  type OrderSaga,
  type OrderStatus,
} from "../../durable-objects/order/index.ts";
import { decodeCursor as decodeKeysetCursor, encodeCursor as encodeKeysetCursor } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import { traceparentOf } from "../platform/tracing/request-tracing.ts";
import { linesOf, listOrders } from "./queries.ts";
import { type OrderSummary, summarize } from "./view.ts";

/** The order's object, named by the order id. */
export const orderObject = (rt: Pick<Runtime, "objects">, orderId: string) => rt.objects.get<OrderSaga>("ORDER_SAGA", orderId);

/** The trace context of the work calling the order's object (a traced request or job run): its events continue that trace. */
export function traceOf(rtOrTraceparent: object | string | undefined): { traceparent?: string } {
  const traceparent = typeof rtOrTraceparent === "object" ? traceparentOf(rtOrTraceparent) : rtOrTraceparent;
  return traceparent ? { traceparent } : {};
}

/** The order with its lines, timeline and step log, as stored. */
export const orderBundle = (db: Queryable, orderId: string): Promise<OrderBundle | null> => loadBundle(db, orderId);

export function findOrder(db: Queryable, orderId: string): Promise<OrderRow | null> {
  return loadOrder(db, orderId);
}

// ---- pages: newest first, the cursor is the last item's (createdAt, id)

const SORT = "orders:newest";
const encodeCursor = (o: { createdAt: Date; id: string }): string =>
  encodeKeysetCursor({ sort: SORT, key: [o.createdAt.toISOString(), o.id] });

function decodeCursor(raw: string): { createdAt: Date; id: string } {
  const [at, id] = decodeKeysetCursor(raw, SORT, ["string", "string"]) as [string, string];
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()))
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The query is not valid", {
      errors: [{ field: "query.cursor", message: "Not a cursor from this API" }],
    });
  return { createdAt, id };
}

export async function orderPage(
  db: Queryable,
  f: { userId?: string; status?: OrderStatus; number?: string; from?: string; to?: string; cursor?: string; limit: number },
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const { rows, hasMore } = await listOrders(db, {
    userId: f.userId,
    status: f.status,
    numberPrefix: f.number?.toUpperCase(),
    from: f.from ? new Date(`${f.from}T00:00:00Z`) : undefined,
    // `to` names a whole day: everything before the next midnight.
    until: f.to ? new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000) : undefined,
    before: f.cursor ? decodeCursor(f.cursor) : undefined,
    limit: f.limit,
  });
  const lines = await linesOf(
    db,
    rows.map((r) => r.id),
  );
  const last = rows[rows.length - 1];
  return { items: rows.map((r) => summarize(r, lines.get(r.id)?.length ?? 0)), nextCursor: hasMore && last ? encodeCursor(last) : null };
}
