/** Discounts as the pricing function sees them: rows with their category's current path. */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import type { DiscountRule } from "./pricing.ts";

type RuleRow = {
  id: string;
  name: string;
  kind: "percentage" | "fixed";
  percent_bp: number | null;
  /** int8: a decimal string from a query, a number from json_build_object. */
  amount_minor: string | number | null;
  currency: string | null;
  scope: "product" | "category" | "all";
  product_id: string | null;
  category_path: string | null;
  starts_at: string | Date;
  ends_at: string | Date | null;
};

/**
 * Every discount that has not ended by `at` (in force or still to come).
 * Ended discounts can no longer change a price, so readers need only these;
 * there are few of them at any time, so they are read whole.
 */
export async function loadDiscountRules(db: Queryable, at: Date): Promise<DiscountRule[]> {
  const result = await db.execute<RuleRow>(sql`
    select d.id, d.name, d.kind, d.percent_bp, d.amount_minor, d.currency, d.scope, d.product_id, c.path as category_path, d.starts_at, d.ends_at
    from catalog.discounts d left join catalog.categories c on c.id = d.category_id
    where d.ends_at is null or d.ends_at > ${at.toISOString()}::timestamptz`);
  return result.rows.map(toRule);
}

export function toRule(r: RuleRow): DiscountRule {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    percentBp: r.percent_bp,
    amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
    currency: r.currency?.trim() ?? null,
    scope: r.scope,
    productId: r.product_id,
    categoryPath: r.category_path,
    startsAt: new Date(r.starts_at),
    endsAt: r.ends_at === null ? null : new Date(r.ends_at),
  };
}
