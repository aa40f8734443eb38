/**
 * What happened in an experiment: exposures (a feed shown to a user in an
 * arm), clicks on a product of an exposure, and conversions (a product of an
 * exposure bought by that user within the experiment's window after it was
 * shown). Each is keyed so a repeat (a double click, a redelivered order
 * event) counts once.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import type { OrderLine } from "./order-lines.ts";

/** Records a feed shown to a user in an arm; returns the exposure's id, which the client sends back with clicks. */
export async function recordExposure(
  db: Queryable,
  e: { experimentId: string; arm: string; userId: string; productIds: string[] },
): Promise<string> {
  const id = newId("rex");
  await db.execute(sql`
    insert into recommendations.exposures (id, experiment_id, arm, user_id, product_ids)
    values (${id}, ${e.experimentId}, ${e.arm}, ${e.userId}, ${sql.param(e.productIds)}::text[])`);
  return id;
}

/** A click on a product the exposure showed, by the user it was shown to; false if there is no such exposure or product. */
export async function recordClick(db: Queryable, userId: string, exposureId: string, productId: string): Promise<boolean> {
  const r = await db.execute<{ found: boolean }>(sql`
    with exposure as (
      select id from recommendations.exposures where id = ${exposureId} and user_id = ${userId} and ${productId} = any(product_ids)
    ),
    ins as (
      insert into recommendations.clicks (exposure_id, product_id) select id, ${productId} from exposure
      on conflict do nothing
    )
    select exists (select 1 from exposure) as found`);
  return r.rows[0]?.found === true;
}

/** Credits every exposure that showed one of the order's products to its buyer within the window before the order. */
export async function attributeConversions(
  db: Queryable,
  orderId: string,
  userId: string,
  lines: readonly OrderLine[],
  at: string,
): Promise<void> {
  if (lines.length === 0) return;
  await db.execute(sql`
    insert into recommendations.conversions (exposure_id, product_id, order_id, converted_at)
    select e.id, p.product_id, ${orderId}, ${at}::timestamptz
    from recommendations.exposures e
    join recommendations.experiments x on x.id = e.experiment_id
    join unnest(${sql.param(lines.map((l) => l.productId))}::text[]) as p(product_id) on p.product_id = any(e.product_ids)
    where e.user_id = ${userId}
      and e.shown_at <= ${at}::timestamptz
      and e.shown_at > ${at}::timestamptz - make_interval(hours => x.conversion_window_hours)
    order by e.id, p.product_id
    on conflict do nothing`);
}

export interface ArmFigures {
  arm: string;
  algorithm: string;
  users: number;
  exposures: number;
  clicks: number;
  conversions: number;
  /** Clicks per exposure. */
  clickThroughRate: number;
  /** Exposures with at least one conversion, per exposure. */
  conversionRate: number;
}

/** Figures per arm; arms nobody saw yet show zeros. */
export async function armFigures(
  db: Queryable,
  experimentId: string,
  arms: readonly { name: string; algorithm: string }[],
): Promise<ArmFigures[]> {
  const r = await db.execute<{ arm: string; users: number; exposures: number; clicks: number; conversions: number; converted: number }>(sql`
    select e.arm,
      count(distinct e.user_id)::int as users,
      count(*)::int as exposures,
      coalesce(sum((select count(*) from recommendations.clicks c where c.exposure_id = e.id)), 0)::int as clicks,
      coalesce(sum((select count(*) from recommendations.conversions v where v.exposure_id = e.id)), 0)::int as conversions,
      count(*) filter (where exists (select 1 from recommendations.conversions v where v.exposure_id = e.id))::int as converted
    from recommendations.exposures e where e.experiment_id = ${experimentId} group by e.arm`);
  const byArm = new Map(r.rows.map((row) => [row.arm, row]));
  return arms.map((a) => {
    const row = byArm.get(a.name);
    const exposures = row?.exposures ?? 0;
    return {
      arm: a.name,
      algorithm: a.algorithm,
      users: row?.users ?? 0,
      exposures,
      clicks: row?.clicks ?? 0,
      conversions: row?.conversions ?? 0,
      clickThroughRate: exposures > 0 ? (row?.clicks ?? 0) / exposures : 0,
      conversionRate: exposures > 0 ? (row?.converted ?? 0) / exposures : 0,
    };
  });
}
