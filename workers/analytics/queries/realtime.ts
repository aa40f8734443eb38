/**
 * Real-time figures: one UTC day's running totals, as the consumer keeps
 * them in daily_metrics while events arrive. Reading them is one indexed
 * read of a few rows, whatever the volume of the day.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../../platform/db.ts";
import { aov } from "./sales.ts";

/** Metrics kept per currency; the others are counts without money (currency ''). */
export const MONEY_METRICS = [
  "orders_confirmed",
  "revenue_minor",
  "units_confirmed",
  "checkouts_started",
  "checkout_value_minor",
  "orders_cancelled",
  "orders_completed",
  "refunds",
  "refunds_minor",
  "payments_captured",
  "captured_minor",
  "payments_failed",
] as const;
export const COUNT_METRICS = [
  "signups",
  "product_views",
  "cart_adds",
  "carts_abandoned",
  "returns_initiated",
  "shipments_created",
  "shipments_dispatched",
  "deliveries_completed",
  "low_stock_alerts",
  "stock_outs",
] as const;

export interface RealtimeReport {
  date: string;
  currency: string;
  asOf: string | null;
  metrics: Record<(typeof MONEY_METRICS)[number] | (typeof COUNT_METRICS)[number], number>;
  averageOrderValueMinor: number;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export async function realtimeReport(db: Queryable, date: string, currency: string): Promise<RealtimeReport> {
  const rows = await db.execute<{ currency: string; metric: string; value: string; updated_at: Date | string }>(sql`
    select currency, metric, value, updated_at from analytics.daily_metrics where day = ${date}::date and currency in (${currency}, '')`);
  const metrics = Object.fromEntries([...MONEY_METRICS, ...COUNT_METRICS].map((m) => [m, 0])) as RealtimeReport["metrics"];
  let asOf: number | null = null;
  for (const r of rows.rows) {
    const isMoney = (MONEY_METRICS as readonly string[]).includes(r.metric);
    if (isMoney !== (r.currency !== "")) continue;
    if (r.metric in metrics) metrics[r.metric as keyof typeof metrics] = Number(r.value);
    const t = new Date(r.updated_at).getTime();
    asOf = asOf === null ? t : Math.max(asOf, t);
  }
  return {
    date,
    currency,
    asOf: asOf === null ? null : new Date(asOf).toISOString(),
    metrics,
    averageOrderValueMinor: aov(metrics.revenue_minor, metrics.orders_confirmed),
  };
}

/** The JSON shape: metric names in camelCase. */
export const metricsJson = (m: RealtimeReport["metrics"]) => Object.fromEntries(Object.entries(m).map(([k, v]) => [camel(k), v]));
