/** Request and response schemas of /api/analytics. */
import { z } from "@hono/zod-openapi";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { GRANULARITIES, type Period, resolvePeriod } from "./queries/period.ts";
import { SALES_DIMENSIONS } from "./queries/sales.ts";

const Instant = z
  .string()
  .max(40)
  .openapi({ description: "A date (YYYY-MM-DD, midnight UTC) or a date-time with an offset", example: "2026-03-01" });
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "ISO 4217 code")
  .openapi({ example: "USD" });

/** A report's currency: the shop's (SHOP_CURRENCY) unless the request names one. */
const ShopCurrency = Currency.optional().openapi({ description: "ISO 4217 code; default: the shop's currency" });

const periodFields = {
  from: Instant.optional().openapi({ description: "Start, inclusive (default: 30 days before `to`)" }),
  to: Instant.optional().openapi({
    description: "End, exclusive (default: the start of tomorrow, UTC); a date equal to a date `from` means that one whole day",
  }),
  granularity: z.enum(GRANULARITIES).default("day").openapi({ description: "Buckets: UTC days, ISO weeks (from Monday) or months" }),
};

export const SalesQuery = z.object({
  ...periodFields,
  currency: ShopCurrency,
  by: z
    .enum(SALES_DIMENSIONS)
    .default("period")
    .openapi({ description: "`period` (the buckets), `product`, `category`, `brand` or `region` (the shipping country)" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ description: "Rows for product, category, brand and region, by revenue" }),
});
export const FunnelQuery = z.object({
  ...periodFields,
  currency: Currency.optional().openapi({ description: "Count only orders in this currency" }),
});
export const CohortQuery = z.object({
  ...periodFields,
  granularity: z.enum(GRANULARITIES).default("week").openapi({ description: "The cohorts' buckets: sign-up week by default" }),
  periods: z.coerce
    .number()
    .int()
    .min(1)
    .max(52)
    .default(8)
    .openapi({ description: "Buckets followed after the sign-up bucket (offset 0 included)" }),
  currency: Currency.optional().openapi({ description: "Count only orders in this currency" }),
});
export const CustomersQuery = z.object({
  ...periodFields,
  currency: ShopCurrency,
  top: z.coerce.number().int().min(1).max(100).default(10),
});
export const InventoryQuery = z.object({ ...periodFields, limit: z.coerce.number().int().min(1).max(200).default(20) });
export const RealtimeQuery = z.object({
  date: z.iso.date().optional().openapi({ description: "The UTC day (default: today)" }),
  currency: ShopCurrency,
});

/** The period of a validated query, or a 422 naming the field. */
export function periodOf(q: { from?: string; to?: string; granularity?: (typeof GRANULARITIES)[number] }): Period {
  const r = resolvePeriod(q);
  if (r.ok) return r.period;
  throw new ApiError(ErrorCode.VALIDATION_FAILED, "The period is not valid", {
    errors: r.problems.map((p) => ({ field: `query.${p.field}`, message: p.message })),
  });
}

const PeriodEcho = z.object({ from: z.string(), to: z.string(), granularity: z.enum(GRANULARITIES) });
export const echo = (p: Period) => ({ from: p.from.toISOString(), to: p.to.toISOString(), granularity: p.granularity });

const figures = {
  orders: z.number().int(),
  units: z.number().int(),
  revenueMinor: z.number().int(),
  averageOrderValueMinor: z.number().int(),
};
export const SalesResponse = z
  .object({
    period: PeriodEcho,
    currency: z.string(),
    by: z.enum(SALES_DIMENSIONS),
    totals: z.object({ ...figures, refunds: z.number().int(), refundedMinor: z.number().int(), netRevenueMinor: z.number().int() }),
    rows: z.array(
      z.object({
        key: z.string().nullable(),
        label: z.string().nullable(),
        ...figures,
        refunds: z.number().int().nullable(),
        refundedMinor: z.number().int().nullable(),
      }),
    ),
  })
  .openapi("SalesReport");

const FunnelShape = {
  steps: z.array(z.object({ step: z.string(), users: z.number().int(), reached: z.number().int(), conversionRate: z.number().nullable() })),
  overallConversionRate: z.number().nullable(),
};
export const FunnelResponse = z
  .object({
    period: PeriodEcho,
    currency: z.string().nullable(),
    ...FunnelShape,
    anonymous: z.object({ productViews: z.number().int(), guestCartAdds: z.number().int() }),
    carts: z.object({ abandoned: z.number().int(), recovered: z.number().int() }).openapi({
      description:
        "Carts that idled out in the period (CartAbandoned), and abandoned carts a reminder's link brought back in it (CartRecovered)",
    }),
    buckets: z.array(z.object({ period: z.string(), ...FunnelShape })),
  })
  .openapi("FunnelReport");

export const CohortResponse = z
  .object({
    period: PeriodEcho,
    currency: z.string().nullable(),
    periods: z.number().int(),
    cohorts: z.array(
      z.object({
        cohort: z.string(),
        size: z.number().int(),
        retention: z.array(z.object({ offset: z.number().int(), customers: z.number().int(), share: z.number().nullable() }).nullable()),
      }),
    ),
  })
  .openapi("CohortReport");

const Split = {
  newCustomers: z.number().int(),
  returningCustomers: z.number().int(),
  newRevenueMinor: z.number().int(),
  returningRevenueMinor: z.number().int(),
};
export const CustomersResponse = z
  .object({
    period: PeriodEcho,
    currency: z.string(),
    totals: z.object(Split),
    buckets: z.array(z.object({ period: z.string(), ...Split })),
    top: z.array(
      z.object({
        customerKey: z.string().openapi({ description: "Pseudonymous id (keyed hash of the user id)" }),
        orders: z.number().int(),
        revenueMinor: z.number().int(),
        firstOrderAt: z.string(),
        lastOrderAt: z.string(),
      }),
    ),
  })
  .openapi("CustomersReport");

export const InventoryResponse = z
  .object({
    period: PeriodEcho,
    buckets: z.array(
      z.object({
        period: z.string(),
        stockOuts: z.number().int(),
        stockOutSkus: z.number().int(),
        lowStockAlerts: z.number().int(),
        lowStockSkus: z.number().int(),
      }),
    ),
    topStockOuts: z.array(
      z.object({
        sku: z.string(),
        productId: z.string().nullable(),
        productName: z.string().nullable(),
        stockOuts: z.number().int(),
        lowStockAlerts: z.number().int(),
        lastStockOutAt: z.string().nullable(),
      }),
    ),
    current: z.object({
      outOfStock: z.number().int(),
      lowStock: z.number().int(),
      skus: z.array(
        z.object({
          sku: z.string(),
          status: z.string(),
          available: z.number().int(),
          productName: z.string().nullable(),
          since: z.string(),
        }),
      ),
    }),
  })
  .openapi("InventoryReport");

export const RealtimeResponse = z
  .object({
    date: z.string(),
    currency: z.string(),
    asOf: z.string().nullable().openapi({ description: "When the latest of these totals last moved" }),
    metrics: z.record(z.string(), z.number().int()),
    averageOrderValueMinor: z.number().int(),
  })
  .openapi("RealtimeReport");
