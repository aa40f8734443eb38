/**
 * Payment outcomes: payments authorised, captured, failed (declined) and
 * refunded in the period, with the decline and refund reasons, from the
 * analytics payment facts. Amounts are money, so support sees the counts only.
 */
import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { sectionOf } from "../formats/report-model.ts";
import { defineReport } from "./definition.ts";
import { currencyParam, periodParams } from "./params.ts";

type Raw = { kind: string; reason: string | null; payments: string | number; amount: string | number | null };
const KIND_ORDER = ["authorized", "captured", "failed", "refunded"];

export const paymentOutcomes = defineReport({
  id: "payment-outcomes",
  title: "Payment outcomes and declines",
  description: "Payments authorised, captured, declined (by reason) and refunded (by reason) in the period.",
  access: ["admin", "analyst", "support"],
  span: "week",
  params: z.strictObject({ ...periodParams, currency: currencyParam }),
  async build(p, period, { db }) {
    const r = await db.execute<Raw>(sql`
      select kind, reason, count(*) as payments, sum(amount_minor) as amount
      from analytics.payment_facts
      where currency = ${p.currency} and occurred_at >= ${period.from.toISOString()}::timestamptz and occurred_at < ${period.to.toISOString()}::timestamptz
      group by kind, reason`);
    const rows = r.rows
      .map((x) => ({ kind: x.kind, reason: x.reason, payments: Number(x.payments), amount: Number(x.amount ?? 0) }))
      .sort(
        (a, b) =>
          KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
          b.payments - a.payments ||
          String(a.reason).localeCompare(String(b.reason)),
      );
    const outcomes = KIND_ORDER.map((kind) => {
      const of = rows.filter((x) => x.kind === kind);
      return { outcome: kind, payments: of.reduce((n, x) => n + x.payments, 0), amount: of.reduce((n, x) => n + x.amount, 0) };
    });
    return {
      currency: p.currency,
      sections: [
        sectionOf(
          "Outcomes",
          [
            { key: "outcome", label: "Outcome", type: "text" },
            { key: "payments", label: "Payments", type: "integer" },
            { key: "amount", label: "Amount", type: "money" },
          ],
          outcomes,
        ),
        sectionOf(
          "Declines and refunds by reason",
          [
            { key: "kind", label: "Outcome", type: "text" },
            { key: "reason", label: "Reason", type: "text" },
            { key: "payments", label: "Payments", type: "integer" },
            { key: "amount", label: "Amount", type: "money" },
          ],
          rows.filter((x) => x.kind === "failed" || x.kind === "refunded").map((x) => ({ ...x, reason: x.reason ?? "(none)" })),
        ),
      ],
    };
  },
});
