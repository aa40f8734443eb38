/** Request and response schemas of the recommendations API (validation and the OpenAPI document). */
import { z } from "@hono/zod-openapi";
import { ALGORITHMS } from "./recommenders.ts";

export const security = [{ bearer: [] }];
export const tags = ["Recommendations"];

const id = (prefix: string, example: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_ id`)
    .openapi({ example });
export const ProductId = id("prd", "prd_01JB8ZK3M4N5P6Q7R8S9T0V1W2");
export const UserId = id("usr", "usr_01JB8Y3Z5N7Q2W4E6R8T0Y2V4K");
export const ExperimentId = id("rxp", "rxp_01JB8Y3Z5N7Q2W4E6R8T0Y2V4K");
export const ExposureId = id("rex", "rex_01JB8Y3Z5N7Q2W4E6R8T0Y2V4K");

/** Lists are short: a carousel on a page. */
export const ListLimit = z.coerce.number().int().min(1).max(50).default(10).openapi({ description: "How many products, at most 50" });
export const LimitOnly = z.object({ limit: ListLimit });

const Placement = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, "lower-case letters, digits and dashes")
  .openapi({ description: "Where the list is shown; experiments run per placement", example: "home" });
export const FeedQuery = z.object({ limit: ListLimit, placement: Placement.default("home") });

const CategoryPath = z
  .string()
  .regex(/^[a-z0-9-]{1,60}(\/[a-z0-9-]{1,60}){0,5}$/, "must be a category path of slugs joined by /")
  .openapi({ example: "electronics/audio" });
export const TrendingQuery = z.object({ category: CategoryPath.optional(), limit: ListLimit });

export const CartQuery = z.object({
  productIds: z
    .string()
    .max(20 * 31)
    .transform((s) => [...new Set(s.split(",").filter((x) => x.length > 0))].sort())
    .pipe(z.array(ProductId).min(1).max(20))
    .openapi({ description: "The cart's product ids, comma-separated (at most 20)", example: "prd_01JB8ZK3M4N5P6Q7R8S9T0V1W2" }),
  limit: ListLimit,
});

export const RecommendedItemSchema = z
  .object({
    productId: z.string(),
    slug: z.string(),
    name: z.string(),
    priceMinor: z.number().int().nullable(),
    score: z.number(),
  })
  .openapi("RecommendedItem");

export const RecommendationSchema = z
  .object({
    algorithm: z.enum(ALGORITHMS),
    modelVersion: z.string().openapi({ example: "also-bought@1+run_01JB8Y3Z5N7Q2W4E6R8T0Y2U4I" }),
    items: z.array(RecommendedItemSchema),
    /** Set when the list was shown as part of an experiment: send it back with clicks. */
    experiment: z.object({ id: z.string(), arm: z.string(), exposureId: z.string() }).nullable(),
  })
  .openapi("Recommendation");

const Arm = z
  .object({
    name: z.string().regex(/^[a-z0-9-]{1,40}$/, "lower-case letters, digits and dashes"),
    algorithm: z.enum(["personal", "trending", "popular"]),
    weight: z.number().int().min(1).max(100),
  })
  .strict();

export const ExperimentCreateBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .regex(/^[^\u0000-\u001F\u007F]*$/, "must not contain control characters"),
    placement: Placement.default("home"),
    arms: z
      .array(Arm)
      .min(2)
      .max(5)
      .refine((arms) => new Set(arms.map((a) => a.name)).size === arms.length, "arm names must be unique"),
    conversionWindowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(72),
  })
  .strict()
  .openapi("RecommendationExperimentCreate");

const ArmFiguresSchema = z.object({
  arm: z.string(),
  algorithm: z.string(),
  users: z.number().int(),
  exposures: z.number().int(),
  clicks: z.number().int(),
  conversions: z.number().int(),
  clickThroughRate: z.number(),
  conversionRate: z.number(),
});

export const ExperimentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    placement: z.string(),
    status: z.enum(["running", "stopped"]),
    conversionWindowHours: z.number().int(),
    createdAt: z.string(),
    arms: z.array(ArmFiguresSchema),
  })
  .openapi("RecommendationExperiment");

export const ClickBody = z.object({ exposureId: ExposureId, productId: ProductId }).strict().openapi("RecommendationClick");
