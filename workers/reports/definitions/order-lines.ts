/**
 * Order lines: every confirmed line of the period, one row each, for
 * spreadsheets and reconciliation. The one report whose size grows with the
 * shop, so its rows are read in keyset pages and written page by page.
 */
import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Row, Section } from "../formats/report-model.ts";
import { defineReport } from "./definition.ts";
import { currencyParam, periodParams } from "./params.ts";

export const ORDER_LINES_PAGE = 5000;

type Raw = {
  order_id: string;
  line_no: number;
  confirmed_at: string | Date;
  product_id: string;
  name: string | null;
  sku: string;
  quantity: number;
  unit_price_minor: string | number;
  line_total_minor: string | number;
};

export const orderLines = defineReport({
  id: "order-lines",
  title: "Confirmed order lines",
  description: "Every line of the orders confirmed in the period (order, product, SKU, quantity, prices), streamed page by page.",
  access: ["admin", "analyst"],
  span: "month",
  params: z.strictObject({ ...periodParams, currency: currencyParam }),
  async build(p, period, { db }) {
    const section: Section = {
      title: "Order lines",
      columns: [
        { key: "confirmedAt", label: "Confirmed", type: "date" },
        { key: "orderId", label: "Order", type: "text" },
        { key: "lineNo", label: "Line", type: "integer" },
        { key: "product", label: "Product", type: "text" },
        { key: "sku", label: "SKU", type: "text" },
        { key: "quantity", label: "Quantity", type: "integer" },
        { key: "unitPrice", label: "Unit price", type: "money" },
        { key: "lineTotal", label: "Line total", type: "money" },
      ],
      async *pages() {
        let after: { orderId: string; lineNo: number } | null = null;
        for (;;) {
          const res: { rows: Raw[] } = await db.execute<Raw>(sql`
            select l.order_id, l.line_no, l.confirmed_at, l.product_id, d.name, l.sku, l.quantity, l.unit_price_minor, l.line_total_minor
            from analytics.order_line_facts l left join analytics.product_dim d on d.product_id = l.product_id
            where l.currency = ${p.currency} and l.confirmed_at >= ${period.from.toISOString()}::timestamptz and l.confirmed_at < ${period.to.toISOString()}::timestamptz
              ${after ? sql`and (l.order_id, l.line_no) > (${after.orderId}, ${after.lineNo})` : sql``}
            order by l.order_id, l.line_no
            limit ${ORDER_LINES_PAGE}`);
          if (res.rows.length === 0) return;
          yield res.rows.map(
            (r): Row => ({
              confirmedAt: new Date(r.confirmed_at).toISOString().slice(0, 10),
              orderId: r.order_id,
              lineNo: Number(r.line_no),
              product: r.name ?? r.product_id,
              sku: r.sku,
              quantity: Number(r.quantity),
              unitPrice: Number(r.unit_price_minor),
              lineTotal: Number(r.line_total_minor),
            }),
          );
          const last = res.rows[res.rows.length - 1]!;
          after = { orderId: last.order_id, lineNo: Number(last.line_no) };
          if (res.rows.length < ORDER_LINES_PAGE) return;
        }
      },
    };
    return { currency: p.currency, sections: [section] };
  },
});
