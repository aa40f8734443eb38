/** Payment and refund rows as the views the service returns, and the reads behind them. */
import { and, desc, eq, lt } from "drizzle-orm";
import { payments, refunds } from "../../db/schema/payments.ts";
import type { PAYMENT_FAILURE_REASONS, REFUND_REASONS } from "../../queues/contracts/events/payment.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";
import type { PaymentStatus } from "./state.ts";

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

export interface PaymentView {
  id: string;
  orderId: string;
  userId: string;
  provider: string;
  providerPaymentId: string | null;
  amountMinor: number;
  currency: string;
  capturedMinor: number;
  refundedMinor: number;
  status: PaymentStatus;
  failureReason: (typeof PAYMENT_FAILURE_REASONS)[number] | null;
  retryable: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface RefundView {
  id: string;
  paymentId: string;
  amountMinor: number;
  currency: string;
  reason: (typeof REFUND_REASONS)[number];
  status: "succeeded" | "pending" | "failed";
  createdAt: string;
}

export function paymentView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    orderId: row.orderId,
    userId: row.userId,
    provider: row.provider,
    providerPaymentId: row.providerPaymentId,
    amountMinor: row.amountMinor,
    currency: row.currency,
    capturedMinor: row.capturedMinor,
    refundedMinor: row.refundedMinor,
    status: row.status,
    failureReason: row.failureReason as PaymentView["failureReason"],
    retryable: row.retryable,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function refundView(row: RefundRow): RefundView {
  return {
    id: row.id,
    paymentId: row.paymentId,
    amountMinor: row.amountMinor,
    currency: row.currency,
    reason: row.reason as RefundView["reason"],
    status: row.status,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function paymentRow(db: Queryable, id: string, forUpdate = false): Promise<PaymentRow | undefined> {
  const query = db.select().from(payments).where(eq(payments.id, id));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row;
}

export async function paymentRowsForOrder(db: Queryable, orderId: string): Promise<PaymentRow[]> {
  return db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(payments.id);
}

export async function refundsOf(db: Queryable, paymentId: string): Promise<RefundView[]> {
  const rows = await db.select().from(refunds).where(eq(refunds.paymentId, paymentId)).orderBy(refunds.id);
  return rows.map(refundView);
}

/** Newest first; the cursor's key is the last payment's id. */
const PAYMENTS_SORT = "payments:newest";

/** Newest first; `cursor` is the previous page's nextCursor. */
export async function paymentsPage(
  db: Queryable,
  filter: { userId?: string; orderId?: string; cursor?: string; limit: number },
): Promise<{ items: PaymentView[]; nextCursor: string | null }> {
  const [before] = filter.cursor ? decodeCursor(filter.cursor, PAYMENTS_SORT, ["string"]) : [];
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        filter.userId ? eq(payments.userId, filter.userId) : undefined,
        filter.orderId ? eq(payments.orderId, filter.orderId) : undefined,
        before !== undefined ? lt(payments.id, before) : undefined,
      ),
    )
    .orderBy(desc(payments.id))
    .limit(filter.limit + 1);
  const { page, nextCursor } = keysetPage(rows, filter.limit, PAYMENTS_SORT, (r) => [r.id]);
  return { items: page.map(paymentView), nextCursor };
}
