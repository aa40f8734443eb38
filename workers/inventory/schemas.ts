/** Request and response schemas of the inventory routes (validation and OpenAPI from one source). */
import { z } from "@hono/zod-openapi";
import { MAX_LINES } from "../../durable-objects/inventory/index.ts";
import { MAX_HOLD_SECONDS } from "./service.ts";

export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-', at most 64")
  .openapi({ example: "ELE-AUD-0001-BLK" });
export const ReservationId = z.string().regex(/^res_[0-9A-HJKMNP-TV-Z]{26}$/, "a reservation id (res_…)");
export const SkuParam = z.object({ sku: Sku.openapi({ param: { name: "sku", in: "path" } }) });
export const ReservationParam = z.object({ id: ReservationId.openapi({ param: { name: "id", in: "path" } }) });

const count = z.number().int().nonnegative();

export const StockLevelSchema = z
  .object({
    sku: z.string(),
    tracked: z.boolean().openapi({ description: "False for a SKU that never had stock" }),
    onHand: count,
    reserved: count.openapi({ description: "Units in live holds" }),
    available: count.openapi({ description: "On hand minus reserved" }),
    status: z.enum(["in_stock", "low_stock", "out_of_stock"]),
    lowStockThreshold: count,
    reorderPoint: count,
    reorderQuantity: count,
    version: count,
    updatedAt: z.string().nullable(),
    liveHolds: count,
    nextExpiryAt: z.string().nullable().openapi({ description: "When the next hold expires" }),
  })
  .openapi("StockLevel");

export const LineSchema = z.strictObject({ sku: Sku, quantity: z.number().int().min(1).max(10_000) });

export const ReserveBody = z
  .object({
    reservationId: ReservationId.optional().openapi({
      description: "Client-chosen id: a repeat with the same id returns the first outcome (like Idempotency-Key)",
    }),
    lines: z.array(LineSchema).min(1).max(MAX_LINES).openapi({ description: "Lines of the same SKU are added up; all are held or none" }),
    ttlSeconds: z.number().int().min(5).max(MAX_HOLD_SECONDS).optional().openapi({ description: "How long the hold lasts (default 900)" }),
  })
  .strict()
  .openapi("ReserveRequest", {
    example: {
      lines: [
        { sku: "JKT-TRAIL-M", quantity: 1 },
        { sku: "SOCK-MERINO-42", quantity: 2 },
      ],
      ttlSeconds: 600,
    },
  });

export const ReservationSchema = z
  .object({
    reservationId: z.string(),
    status: z.enum(["held", "refused", "failed", "committing", "committed", "releasing", "released", "expired"]),
    owner: z.object({ type: z.enum(["user", "system", "service"]), id: z.string() }),
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
    expiresAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    refusal: z.object({ sku: z.string(), requested: z.number().int(), available: z.number().int() }).nullable(),
  })
  .openapi("Reservation");

export const ExtendBody = z
  .object({ ttlSeconds: z.number().int().min(5).max(MAX_HOLD_SECONDS) })
  .strict()
  .openapi("ExtendReservationRequest");
export const ReleaseBody = z
  .object({ reason: z.string().max(200).optional() })
  .strict()
  .openapi("ReleaseReservationRequest");

const reason = z.string().min(1).max(200);
const operationId = z
  .string()
  .min(1)
  .max(100)
  .optional()
  .openapi({ description: "Idempotency: a repeat with the same id is applied once (the Idempotency-Key header works too)" });

export const RestockBody = z
  .object({ quantity: z.number().int().min(1).max(1_000_000), reason: reason.optional(), operationId })
  .strict()
  .openapi("RestockRequest");
export const AdjustBody = z
  .object({
    delta: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((d) => d !== 0, "must not be 0"),
    reason,
    operationId,
  })
  .strict()
  .openapi("AdjustStockRequest");
export const ReturnBody = z
  .object({
    quantity: z.number().int().min(1).max(1_000_000),
    reservationId: ReservationId.optional(),
    reason: reason.optional(),
    operationId,
  })
  .strict()
  .openapi("ReturnStockRequest");
export const SettingsBody = z
  .object({
    lowStockThreshold: count.max(1_000_000).optional(),
    reorderPoint: count.max(1_000_000).optional(),
    reorderQuantity: count.max(1_000_000).optional(),
    operationId,
  })
  .strict()
  .refine(
    (b) => b.lowStockThreshold !== undefined || b.reorderPoint !== undefined || b.reorderQuantity !== undefined,
    "set at least one setting",
  )
  .openapi("StockSettingsRequest");

export const LedgerEntrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    kind: z.string().openapi({ description: "opening, receipt, adjustment, reservation, release, expiry, sale, return or settings" }),
    quantity: count,
    onHandDelta: z.number().int(),
    reservedDelta: z.number().int(),
    onHand: count,
    reserved: count,
    reservationId: z.string().nullable(),
    actor: z.string(),
    reason: z.string().nullable(),
    operationId: z.string().nullable(),
    version: z.number().int(),
  })
  .openapi("StockMovement");

export const LowStockSchema = z
  .object({
    sku: z.string(),
    onHand: count,
    reserved: count,
    available: count,
    lowStockThreshold: count,
    reorderPoint: count,
    reorderQuantity: count,
    status: z.enum(["low_stock", "out_of_stock"]),
    updatedAt: z.string(),
  })
  .openapi("LowStockItem");

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description: "Idempotency-Key: repeats with the same key are applied once",
    }),
});

export const HeldStockSchema = z
  .object({
    sku: z.string(),
    reserved: count.openapi({ description: "Units in the SKU's live holds" }),
    onHand: count,
    available: count,
    updatedAt: z.string(),
  })
  .openapi("HeldStockItem");

export const HeldStockPageSchema = z
  .object({
    totals: z
      .object({ skus: count, units: count })
      .openapi({ description: "SKUs with units held and the units held over the whole filter (not only this page)" }),
    items: z.array(HeldStockSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi("HeldStockPage");

export const SkuHoldSchema = z
  .object({
    reservationId: z.string(),
    sku: z.string(),
    quantity: count,
    status: z.enum(["held", "pinned"]).openapi({ description: "held until its expiry, or pinned by a commit in progress" }),
    expiresAt: z.string(),
    createdAt: z.string(),
    actor: z.string().openapi({ description: "Who placed the hold, as `type:id` (a user, or the checkout's service)" }),
  })
  .openapi("SkuHold");

export const StockLevelRowSchema = z
  .object({
    sku: z.string(),
    onHand: count,
    reserved: count,
    available: count,
    lowStockThreshold: count,
    status: z.enum(["in_stock", "low_stock", "out_of_stock"]),
    updatedAt: z.string(),
  })
  .openapi("StockLevelRow");
