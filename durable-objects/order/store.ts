/**
 * The order's store: the orders family's tables as its object reads and
 * writes them. Only the object writes an order (the family's lists and the
 * recovery job read through workers/orders/queries.ts). Every write of an
 * order is conditional on the version it read, so a writer that is not the
 * order's object (which should never happen) fails instead of overwriting.
 * Status moves go through the state machine and append to the timeline in
 * the same transaction.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { orderLines, orders, orderTimeline, sagaSteps } from "../../db/schema/orders.ts";
import type { Queryable } from "../../workers/platform/db.ts";
import type { StepLog, StepName, StepRecord, StepState } from "./saga-rules.ts";
import { type OrderStatus, transition } from "./state.ts";

export type OrderRow = typeof orders.$inferSelect;
export type NewOrderRow = typeof orders.$inferInsert;
export type LineRow = typeof orderLines.$inferSelect;
export type TimelineRow = typeof orderTimeline.$inferSelect;

export interface OrderBundle {
  order: OrderRow;
  lines: LineRow[];
  timeline: TimelineRow[];
  log: StepLog;
}

export class OrderWriteConflict extends Error {
  override name = "OrderWriteConflict";
}

/** `EC-<year>-<6 digits>` (more digits once a year passes a million orders). */
export function formatOrderNumber(seq: number, year: number): string {
  return `EC-${year}-${String(seq).padStart(6, "0")}`;
}

export async function nextOrderNumber(db: Queryable, now: Date): Promise<string> {
  const r = await db.execute<{ n: string }>(sql`select nextval('orders.order_number_seq') as n`);
  return formatOrderNumber(Number(r.rows[0]!.n), now.getUTCFullYear());
}

export async function loadOrder(db: Queryable, id: string): Promise<OrderRow | null> {
  const rows = await db.select().from(orders).where(eq(orders.id, id));
  return rows[0] ?? null;
}

export async function loadLog(db: Queryable, id: string): Promise<StepLog> {
  const rows = await db.select().from(sagaSteps).where(eq(sagaSteps.orderId, id));
  const log: StepLog = {};
  for (const r of rows) log[r.step] = { step: r.step, state: r.state, attempts: r.attempts, result: r.result ?? null, error: r.error };
  return log;
}

export async function loadBundle(db: Queryable, id: string): Promise<OrderBundle | null> {
  // At once: outside a transaction each statement is a request of its own to the database's HTTP
  // endpoint (no session to share), so four reads cost one round trip instead of four.
  const [order, lines, timeline, log] = await Promise.all([
    loadOrder(db, id),
    db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(asc(orderLines.lineNo)),
    db.select().from(orderTimeline).where(eq(orderTimeline.orderId, id)).orderBy(asc(orderTimeline.seq)),
    loadLog(db, id),
  ]);
  return order ? { order, lines, timeline, log } : null;
}

/** The new order with its lines, first timeline entry and the reservation step, in the caller's transaction. */
export async function insertOrder(
  tx: Queryable,
  order: NewOrderRow,
  lines: Omit<LineRow, "orderId">[],
  reservationId: string,
  actor: string,
): Promise<void> {
  await tx.insert(orders).values(order);
  await tx.insert(orderLines).values(lines.map((l) => ({ ...l, orderId: order.id })));
  await tx
    .insert(orderTimeline)
    .values({ orderId: order.id, status: "pending", note: "order placed, stock reserved", actor, at: order.createdAt });
  await tx.insert(sagaSteps).values({
    orderId: order.id,
    step: "reserved",
    state: "done",
    result: { reservationId },
    startedAt: order.createdAt,
    finishedAt: order.createdAt,
  });
}

type Patch = Partial<Omit<NewOrderRow, "id" | "version" | "status" | "createdAt">>;

/** Writes `patch` if the order is still at the version read; returns the new row. */
export async function patchOrder(db: Queryable, order: OrderRow, patch: Patch): Promise<OrderRow> {
  const rows = await db
    .update(orders)
    .set({ ...patch, version: order.version + 1, updatedAt: new Date() })
    .where(and(eq(orders.id, order.id), eq(orders.version, order.version)))
    .returning();
  if (rows.length === 0) throw new OrderWriteConflict(`order ${order.id} changed under its writer (version ${order.version})`);
  return rows[0]!;
}

/** Moves the order to `to` (refused by the state machine if not allowed) and records it in the timeline. */
export async function moveStatus(
  tx: Queryable,
  order: OrderRow,
  to: OrderStatus,
  opts: { note?: string | null; actor?: string | null; patch?: Patch } = {},
): Promise<{ order: OrderRow; entry: TimelineRow }> {
  transition(order.status, to);
  const now = new Date();
  const rows = await tx
    .update(orders)
    .set({ ...opts.patch, status: to, version: order.version + 1, updatedAt: now })
    .where(and(eq(orders.id, order.id), eq(orders.version, order.version), eq(orders.status, order.status)))
    .returning();
  if (rows.length === 0) throw new OrderWriteConflict(`order ${order.id} changed under its writer (version ${order.version})`);
  const [entry] = await tx
    .insert(orderTimeline)
    .values({ orderId: order.id, status: to, note: opts.note ?? null, actor: opts.actor ?? null, at: now })
    .returning();
  return { order: rows[0]!, entry: entry! };
}

/** Records that a step is about to be asked for (a repeat counts an attempt). */
export async function startStep(
  db: Queryable,
  orderId: string,
  step: StepName,
  result: Record<string, unknown> | null = null,
): Promise<StepRecord> {
  const rows = await db
    .insert(sagaSteps)
    .values({ orderId, step, state: "started", attempts: 1, result })
    .onConflictDoUpdate({
      target: [sagaSteps.orderId, sagaSteps.step],
      set: {
        state: "started",
        attempts: sql`${sagaSteps.attempts} + 1`,
        error: null,
        finishedAt: null,
        result: result === null ? sql`${sagaSteps.result}` : result,
      },
    })
    .returning();
  const r = rows[0]!;
  return { step: r.step, state: r.state, attempts: r.attempts, result: r.result ?? null, error: r.error };
}

/** Records a step's outcome, with the ids it produced or why it failed. */
export async function finishStep(
  db: Queryable,
  orderId: string,
  step: StepName,
  state: Exclude<StepState, "started">,
  result: Record<string, unknown> | null,
  error: string | null = null,
): Promise<StepRecord> {
  const rows = await db
    .insert(sagaSteps)
    .values({ orderId, step, state, result, error, finishedAt: new Date() })
    .onConflictDoUpdate({
      target: [sagaSteps.orderId, sagaSteps.step],
      set: { state, result: result === null ? sql`${sagaSteps.result}` : result, error, finishedAt: new Date() },
    })
    .returning();
  const r = rows[0]!;
  return { step: r.step, state: r.state, attempts: r.attempts, result: r.result ?? null, error: r.error };
}
