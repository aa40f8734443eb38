/** The taxes family's tables: regions and product tax classes. */
import { asc, eq, inArray, sql } from "drizzle-orm";
import { productTaxClasses, taxRegions } from "../../db/schema/tax.ts";
import type { Queryable } from "../platform/db.ts";
import type { TaxClass, TaxRegionRules } from "./tax-rules.ts";

export type RegionRow = typeof taxRegions.$inferSelect;
export type RegionInput = Pick<RegionRow, "pricesIncludeTax" | "rounding" | "standardBp" | "reducedBp" | "shippingTaxClass">;

export const regionCode = (country: string, region: string | null) => (region ? `${country}-${region}` : country);

const toRules = (r: RegionRow): TaxRegionRules => ({
  code: r.code,
  pricesIncludeTax: r.pricesIncludeTax,
  rounding: r.rounding,
  standardBp: r.standardBp,
  reducedBp: r.reducedBp,
  shippingTaxClass: r.shippingTaxClass,
});

/** The rules of a destination, from the regions by code: its state's or province's if kept, else its country's, else none. */
export function rulesFor(regions: ReadonlyMap<string, RegionRow>, country: string, region: string | null): TaxRegionRules | null {
  const best = (region ? regions.get(regionCode(country, region)) : undefined) ?? regions.get(country);
  return best ? toRules(best) : null;
}

/** The tax class of each product that has one other than standard. */
export async function classesOf(db: Queryable, productIds: readonly string[]): Promise<Map<string, TaxClass>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(productTaxClasses)
    .where(inArray(productTaxClasses.productId, [...new Set(productIds)]));
  return new Map(rows.map((r) => [r.productId, r.taxClass]));
}

export const listRegions = (db: Queryable): Promise<RegionRow[]> => db.select().from(taxRegions).orderBy(asc(taxRegions.code));

export async function upsertRegion(db: Queryable, country: string, region: string, input: RegionInput): Promise<RegionRow> {
  const code = regionCode(country, region || null);
  const [row] = await db
    .insert(taxRegions)
    .values({ code, country, region, ...input })
    .onConflictDoUpdate({
      target: taxRegions.code,
      set: { ...input, version: sql`${taxRegions.version} + 1`, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function deleteRegion(db: Queryable, code: string): Promise<boolean> {
  const rows = await db.delete(taxRegions).where(eq(taxRegions.code, code)).returning({ code: taxRegions.code });
  return rows.length > 0;
}

export async function setProductClass(db: Queryable, productId: string, taxClass: TaxClass): Promise<void> {
  if (taxClass === "standard") {
    await db.delete(productTaxClasses).where(eq(productTaxClasses.productId, productId));
    return;
  }
  await db
    .insert(productTaxClasses)
    .values({ productId, taxClass })
    .onConflictDoUpdate({ target: productTaxClasses.productId, set: { taxClass, updatedAt: sql`now()` } });
}
