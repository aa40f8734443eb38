/** Reads of returns: a return as the API shows it, to whom, and those left unfinished. */
import { and, asc, eq, sql } from "drizzle-orm";
import { returnLines, returns } from "../../db/schema/delivery.ts";
import type { RETURN_REASONS } from "../../queues/contracts/events/order.ts";
import { hasRole } from "../platform/auth.ts";
import type { Principal } from "../platform/context.ts";
import type { Database, Queryable } from "../platform/db.ts";
import { notFound } from "../platform/errors.ts";
import type { ReturnStatus } from "./returns-rules.ts";

export type ReturnReason = (typeof RETURN_REASONS)[number];

export interface ReturnView {
  id: string;
  rmaNumber: string;
  orderId: string;
  orderNumber: string;
  shipmentId: string;
  userId: string;
  status: ReturnStatus;
  reason: ReturnReason;
  note: string | null;
  currency: string;
  returnBy: string;
  lines: { sku: string; productId: string; name: string; quantity: number; unitPaidMinor: number; acceptedQuantity: number | null }[];
  refundMinor: number | null;
  refundId: string | null;
  inspectionNote: string | null;
  receivedAt: string | null;
  inspectedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const isStaff = (p: Principal) => hasRole(p, "admin", "support");

export async function getReturn(db: Queryable, id: string): Promise<ReturnView | null> {
  const [row] = await db.select().from(returns).where(eq(returns.id, id));
  if (!row) return null;
  const lines = await db.select().from(returnLines).where(eq(returnLines.returnId, id)).orderBy(asc(returnLines.sku));
  return {
    id: row.id,
    rmaNumber: row.rmaNumber,
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    shipmentId: row.shipmentId,
    userId: row.userId,
    status: row.status,
    reason: row.reason as ReturnReason,
    note: row.note,
    currency: row.currency,
    returnBy: row.returnBy,
    lines: lines.map((l) => ({
      sku: l.sku,
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitPaidMinor: l.unitPaidMinor,
      acceptedQuantity: l.acceptedQuantity,
    })),
    refundMinor: row.refundMinor,
    refundId: row.refundId,
    inspectionNote: row.inspectionNote,
    receivedAt: iso(row.receivedAt),
    inspectedAt: iso(row.inspectedAt),
    closedAt: iso(row.closedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The return if the principal may see it (owner or staff); anyone else gets the same 404 as for a missing one. */
export async function getReturnFor(db: Queryable, id: string, principal: Principal): Promise<ReturnView> {
  const view = await getReturn(db, id);
  if (!view || (view.userId !== principal.id && !isStaff(principal))) throw notFound("return");
  return view;
}

/** An order's returns, oldest first, that the principal may see (all for staff, their own for the customer). */
export async function returnsOfOrder(db: Queryable, orderId: string, principal: Principal): Promise<ReturnView[]> {
  const rows = await db
    .select({ id: returns.id })
    .from(returns)
    .where(and(eq(returns.orderId, orderId), isStaff(principal) ? undefined : eq(returns.userId, principal.id)))
    .orderBy(asc(returns.createdAt), asc(returns.id))
    .limit(100);
  return (await Promise.all(rows.map((r) => getReturn(db, r.id)))).filter((v): v is ReturnView => v !== null);
}

/** Returns that were inspected but not finished (a crash or a refused refund between the steps). */
export async function unfinishedReturns(db: Database, olderThanSeconds: number, limit: number): Promise<ReturnView[]> {
  const rows = await db
    .select({ id: returns.id })
    .from(returns)
    .where(and(eq(returns.status, "inspected"), sql`${returns.inspectedAt} < now() - make_interval(secs => ${olderThanSeconds})`))
    .limit(limit);
  return (await Promise.all(rows.map((r) => getReturn(db, r.id)))).filter((v): v is ReturnView => v !== null);
}
