/**
 * The business invariants a restored database must keep, as queries:
 * money (every sold order's payments captured its total; a cancelled
 * order kept nothing once its refunds settled; no payment refunded more
 * than it captured) and the audit trail (the hash chain verifies).
 */
import { sql } from "drizzle-orm";
import { auditConfig, verifyChain } from "../audit/index.ts";
import type { Database } from "../platform/db.ts";
import type { Runtime } from "../platform/runtime.ts";

export interface InvariantResult {
  name: string;
  ok: boolean;
  checked: number;
  /** Up to a few offenders, for the report. */
  offenders: string[];
  detail?: string;
}

const SOLD = sql`('confirmed', 'shipped', 'delivered')`;

export async function paymentInvariants(db: Database): Promise<InvariantResult[]> {
  const perOrder = await db.execute<{ checked: number; bad: string[] | null }>(sql`
    with money as (
      select order_id, sum(captured_minor)::bigint as captured, sum(refunded_minor)::bigint as refunded
      from payments.payments group by order_id
    ), pending as (
      select distinct p.order_id from payments.refunds r join payments.payments p on p.id = r.payment_id where r.status = 'pending'
    ), checked as (
      select o.id, o.status, o.total_minor, coalesce(m.captured, 0) as captured, coalesce(m.refunded, 0) as refunded
      from orders.orders o left join money m on m.order_id = o.id
      where o.status in ${SOLD} or (o.status = 'cancelled' and o.id not in (select order_id from pending))
    )
    select count(*)::int as checked,
      (array_agg(id || ' ' || status || ': total ' || total_minor || ', captured ' || captured || ', refunded ' || refunded)
        filter (where (status in ${SOLD} and captured <> total_minor) or (status = 'cancelled' and captured <> refunded)))[1:5] as bad
    from checked`);
  const overRefunded = await db.execute<{ checked: number; bad: string[] | null }>(sql`
    select count(*)::int as checked, (array_agg(id) filter (where refunded_minor > captured_minor))[1:5] as bad from payments.payments`);
  const result = (name: string, r: { checked: number; bad: string[] | null }): InvariantResult => ({
    name,
    ok: (r.bad ?? []).length === 0,
    checked: r.checked,
    offenders: r.bad ?? [],
  });
  return [
    result("sold orders captured their total; cancelled orders kept nothing", perOrder.rows[0]!),
    result("no payment refunded more than it captured", overRefunded.rows[0]!),
  ];
}

export async function auditChainInvariant(rt: Pick<Runtime, "vars">, db: Database): Promise<InvariantResult> {
  const key = auditConfig.read(rt).AUDIT_CHECKPOINT_KEY;
  if (!key)
    return { name: "audit hash chain verifies", ok: true, checked: 0, offenders: [], detail: "no AUDIT_CHECKPOINT_KEY: not checked" };
  const v = await verifyChain(db, key);
  return {
    name: "audit hash chain verifies",
    ok: v.ok,
    checked: v.checked,
    offenders: v.firstBroken ? [`seq ${v.firstBroken.seq}: ${v.firstBroken.reason}`] : [],
  };
}
