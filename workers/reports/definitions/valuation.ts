/**
 * Inventory valuation: the units on hand now (every SKU's latest level in
 * the analytics stock table, reserved units included: they are still in the
 * warehouse) valued at the catalogue's list price and at today's selling
 * price (after discounts in force), in total, per category and for the SKUs
 * worth most. The catalogue holds no purchase cost, so this is a retail
 * valuation, not a cost one. Prices come from the catalogue's own pricing
 * function (`quoteSkus`), a page of SKUs at a time, so memory holds one page
 * plus one row per category and the top list. SKUs priced in another
 * currency, or no longer in the catalogue, are counted apart, never valued.
 */
import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { quoteSkus } from "../../products/index.ts";
import { type Row, sectionOf } from "../formats/report-model.ts";
import { defineReport } from "./definition.ts";
import { currencyParam, periodParams } from "./params.ts";

const PAGE = 1000;

type Raw = { sku: string; on_hand: number; product: string | null; category: string | null };
type Value = { skus: number; units: number; listValue: number; sellingValue: number };

const zero = (): Value => ({ skus: 0, units: 0, listValue: 0, sellingValue: 0 });
const add = (v: Value, units: number, list: number, selling: number) => {
  v.skus += 1;
  v.units += units;
  v.listValue += units * list;
  v.sellingValue += units * selling;
};

const VALUE_COLUMNS = [
  { key: "skus", label: "SKUs", type: "integer" },
  { key: "units", label: "Units on hand", type: "integer" },
  { key: "listValue", label: "Value at list price", type: "money" },
  { key: "sellingValue", label: "Value at selling price", type: "money" },
] as const;

export const inventoryValuation = defineReport({
  id: "inventory-valuation",
  title: "Inventory valuation",
  description:
    "Units on hand now valued at list and at selling price, in total, per category and for the SKUs worth most (a retail valuation: the catalogue holds no cost).",
  access: ["admin", "analyst"],
  span: "day",
  params: z.strictObject({
    ...periodParams,
    currency: currencyParam,
    categoryId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "a category id")
      .optional()
      .openapi({ description: "Only products of this category" }),
    limit: z.number().int().min(1).max(500).default(50).openapi({ description: "Rows of SKUs worth most" }),
  }),
  async build(p, _period, { db, now }) {
    const total = zero();
    const categories = new Map<string, Value>();
    let top: Row[] = [];
    let otherCurrency = 0;
    let unpriced = 0;
    let after = "";
    for (;;) {
      const page = await db.execute<Raw>(sql`
        select s.sku, s.on_hand, d.name as product, d.category_name as category
        from analytics.sku_stock s
          left join analytics.sku_dim k on k.sku = s.sku
          left join analytics.product_dim d on d.product_id = k.product_id
        where s.on_hand > 0 and s.sku > ${after} ${p.categoryId ? sql`and d.category_id = ${p.categoryId}` : sql``}
        order by s.sku limit ${PAGE}`);
      if (page.rows.length === 0) break;
      const quotes = await quoteSkus(
        db,
        page.rows.map((r) => r.sku),
        now,
      );
      for (const r of page.rows) {
        const q = quotes.get(r.sku);
        if (!q) unpriced += 1;
        else if (q.price.currency !== p.currency) otherCurrency += 1;
        else {
          const units = Number(r.on_hand);
          const category = r.category ?? "(none)";
          add(total, units, q.price.baseMinor, q.price.unitPriceMinor);
          if (!categories.has(category)) categories.set(category, zero());
          add(categories.get(category)!, units, q.price.baseMinor, q.price.unitPriceMinor);
          top.push({
            sku: r.sku,
            product: r.product ?? q.productName,
            category,
            units,
            listPrice: q.price.baseMinor,
            sellingPrice: q.price.unitPriceMinor,
            listValue: units * q.price.baseMinor,
          });
        }
      }
      // Keep only the top rows between pages, so the list never grows with the catalogue.
      top = top.sort((a, b) => Number(b.listValue) - Number(a.listValue) || String(a.sku).localeCompare(String(b.sku))).slice(0, p.limit);
      after = page.rows[page.rows.length - 1]!.sku;
      if (page.rows.length < PAGE) break;
    }
    return {
      currency: p.currency,
      sections: [
        sectionOf(
          "Totals",
          [
            ...VALUE_COLUMNS,
            { key: "otherCurrency", label: "SKUs priced in another currency", type: "integer" },
            { key: "unpriced", label: "SKUs not in the catalogue", type: "integer" },
          ],
          [{ ...total, otherCurrency, unpriced }],
        ),
        sectionOf(
          "By category",
          [{ key: "category", label: "Category", type: "text" }, ...VALUE_COLUMNS],
          [...categories.entries()]
            .map(([category, v]) => ({ category, ...v }))
            .sort((a, b) => b.listValue - a.listValue || a.category.localeCompare(b.category)),
        ),
        sectionOf(
          "SKUs worth most",
          [
            { key: "sku", label: "SKU", type: "text" },
            { key: "product", label: "Product", type: "text" },
            { key: "category", label: "Category", type: "text" },
            { key: "units", label: "Units on hand", type: "integer" },
            { key: "listPrice", label: "List price", type: "money" },
            { key: "sellingPrice", label: "Selling price", type: "money" },
            { key: "listValue", label: "Value at list price", type: "money" },
          ],
          top,
        ),
      ],
    };
  },
});
