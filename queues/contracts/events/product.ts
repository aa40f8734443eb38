/**
 * Product events (topic `product`). Created and Updated carry the whole
 * product snapshot, so projections (search, recommendations) upsert from the
 * event alone; `version` orders them: a projection ignores a snapshot older
 * than what it holds, which makes redelivery and reordering harmless.
 * Prices are base (list) prices in minor units; discounts are applied at read
 * time by the catalog's pricing function.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

export const ProductSnapshot = z.object({
  productId: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  status: z.enum(["draft", "active", "archived"]),
  brand: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  category: z.object({ id: z.string(), slug: z.string(), name: z.string(), path: z.string() }).nullable(),
  tags: z.array(z.string()),
  imageUrl: z.string().nullable(),
  variants: z.array(
    z.object({
      variantId: z.string(),
      sku: z.string(),
      options: z.record(z.string(), z.string()),
      priceMinor: z.number().int().nonnegative(),
      compareAtMinor: z.number().int().nonnegative().nullable(),
      currency: z.string().length(3),
    }),
  ),
  version: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProductSnapshot = z.infer<typeof ProductSnapshot>;

export const ProductCreated = defineEvent({
  type: "ProductCreated",
  version: 1,
  topic: "product",
  description: "A product was created (any status); carries the full snapshot.",
  payload: z.object({ product: ProductSnapshot }),
});

export const ProductUpdated = defineEvent({
  type: "ProductUpdated",
  version: 1,
  topic: "product",
  description: "A product or one of its variants changed; carries the full snapshot and the names of the changed fields.",
  payload: z.object({ product: ProductSnapshot, changed: z.array(z.string()) }),
});

export const ProductDeleted = defineEvent({
  type: "ProductDeleted",
  version: 1,
  topic: "product",
  description: "A product was deleted; projections drop it.",
  payload: z.object({ productId: z.string(), slug: z.string(), version: z.number().int().positive() }),
});

export const ProductViewed = defineEvent({
  type: "ProductViewed",
  version: 1,
  topic: "product",
  description:
    "A product page was read: a loss-tolerant analytics signal for funnels and recommendations. Batched (and possibly sampled) by the reading Worker and sent straight to the pipeline's queue, not through the outbox.",
  payload: z.object({
    /** The product id or slug as requested (a cache hit does not know which product a slug names). */
    productRef: z.string().min(1).max(120),
    /** The signed-in shopper, or null for an anonymous visitor. */
    userId: z.string().nullable(),
    /** The share of reads that were announced when this one was (1: all). */
    sampleRate: z.number().gt(0).max(1),
  }),
});

export const PriceChanged = defineEvent({
  type: "PriceChanged",
  version: 1,
  topic: "product",
  description: "The base price of one variant changed.",
  payload: z.object({
    productId: z.string(),
    sku: z.string(),
    currency: z.string().length(3),
    oldPriceMinor: z.number().int().nonnegative(),
    newPriceMinor: z.number().int().nonnegative(),
    version: z.number().int().positive(),
  }),
});
