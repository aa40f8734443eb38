/**
 * The taxes family: tax regions (a country, or a state of one) with their
 * rates per product tax class and how prices are to be read there
 * (tax-inclusive or not), and the tax class of each product (standard
 * unless set). The table tax provider reads these; orders keep the tax they
 * were charged in their own rows.
 */
import { sql } from "drizzle-orm";
import { boolean, check, integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

export const taxSchema = pgSchema("tax");

export const taxRegions = taxSchema.table(
  "regions",
  {
    /** `DE` for a country, `US-CA` for a state (ISO 3166-2). */
    code: text("code").primaryKey(),
    country: text("country").notNull(),
    /** '' for the country as a whole. */
    region: text("region").notNull().default(""),
    pricesIncludeTax: boolean("prices_include_tax").notNull(),
    rounding: text("rounding", { enum: ["line", "total"] }).notNull(),
    standardBp: integer("standard_bp").notNull(),
    reducedBp: integer("reduced_bp").notNull(),
    shippingTaxClass: text("shipping_tax_class", { enum: ["standard", "reduced", "zero", "exempt"] }).notNull(),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("regions_rates", sql`${t.standardBp} between 0 and 10000 and ${t.reducedBp} between 0 and 10000`),
    check("regions_code", sql`${t.code} = ${t.country} || case when ${t.region} = '' then '' else '-' || ${t.region} end`),
  ],
);

export const productTaxClasses = taxSchema.table("product_classes", {
  productId: text("product_id").primaryKey(),
  taxClass: text("tax_class", { enum: ["standard", "reduced", "zero", "exempt"] }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
