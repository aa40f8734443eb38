/**
 * Request and response schemas of the catalog's products, their listing and
 * their images (they also make their part of the OpenAPI document).
 */
import { z } from "@hono/zod-openapi";
import { cursorParam, StaleCopySchema } from "../platform/http-schemas.ts";
import { SORTS } from "./listing.ts";
import { BrandId, CategoryId, Currency, Minor, Slug } from "./schema-fields.ts";

const Tag = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single hyphens");

const VariantInput = z
  .object({
    sku: z.string().regex(/^[A-Z0-9][A-Z0-9._-]{0,63}$/, "uppercase letters, digits, dots, underscores and hyphens, at most 64"),
    options: z
      .record(z.string().min(1).max(40), z.string().min(1).max(80))
      .refine((o) => Object.keys(o).length <= 10, "at most 10 options")
      .default({}),
    priceMinor: Minor,
    compareAtMinor: Minor.nullable().default(null),
    currency: Currency,
    weightGrams: z.number().int().min(0).max(10_000_000).nullable().default(null),
    dimensions: z
      .object({
        lengthMm: z.number().int().min(0).max(100_000),
        widthMm: z.number().int().min(0).max(100_000),
        heightMm: z.number().int().min(0).max(100_000),
      })
      .nullable()
      .default(null),
  })
  .strict()
  .openapi("VariantInput");

const productFields = {
  slug: Slug.optional().openapi({ description: "Made from the name when left out" }),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000),
  brandId: BrandId.nullable(),
  categoryId: CategoryId.nullable(),
  status: z.enum(["draft", "active", "archived"]),
  tags: z
    .array(Tag)
    .max(30)
    .transform((t) => [...new Set(t)]),
  variants: z.array(VariantInput).max(100),
};

export const ProductCreate = z
  .object({
    ...productFields,
    description: productFields.description.default(""),
    brandId: productFields.brandId.default(null),
    categoryId: productFields.categoryId.default(null),
    status: productFields.status.default("draft"),
    tags: productFields.tags.default([]),
    variants: productFields.variants.default([]),
  })
  .strict()
  .openapi("ProductCreate", {
    example: {
      name: "Trail Running Jacket",
      description: "Light, windproof and packable.",
      categoryId: "cat_01JB8ZK3M4N5P6Q7R8S9T0V1W2",
      status: "active",
      tags: ["outdoor", "running"],
      variants: [
        {
          sku: "JKT-TRAIL-M",
          options: { size: "M" },
          priceMinor: 12900,
          compareAtMinor: null,
          currency: "EUR",
          weightGrams: 310,
          dimensions: null,
        },
        {
          sku: "JKT-TRAIL-L",
          options: { size: "L" },
          priceMinor: 12900,
          compareAtMinor: null,
          currency: "EUR",
          weightGrams: 330,
          dimensions: null,
        },
      ],
    },
  });

export const ProductPatch = z
  .object({
    ...productFields,
    variants: productFields.variants.openapi({ description: "The full list: SKUs left out are removed, new ones added, the rest updated" }),
  })
  .partial()
  .strict()
  .openapi("ProductPatch");

const Ref = z.object({ id: z.string(), slug: z.string(), name: z.string() });
const CategoryRef = Ref.extend({ path: z.string() });

const UnitPrice = z
  .object({
    currency: z.string(),
    baseMinor: z.number().int(),
    unitPriceMinor: z.number().int(),
    discountMinor: z.number().int(),
    compareAtMinor: z.number().int().nullable(),
    discount: z
      .object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(["percentage", "fixed"]),
        percentBp: z.number().int().nullable(),
        amountMinor: z.number().int().nullable(),
      })
      .nullable(),
  })
  .openapi("UnitPrice");

const PriceSummary = z
  .object({
    currency: z.string(),
    fromMinor: z.number().int(),
    toMinor: z.number().int(),
    compareAtMinor: z.number().int().nullable(),
    discounted: z.boolean(),
  })
  .nullable()
  .openapi("PriceSummary");

const Rating = z.object({ average: z.number(), count: z.number().int() });

export const ProductSchema = z
  .object({
    stale: StaleCopySchema,
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    status: z.enum(["draft", "active", "archived"]),
    brand: Ref.nullable(),
    category: CategoryRef.nullable(),
    tags: z.array(z.string()),
    imageUrl: z.string().nullable(),
    images: z.array(
      z.object({ id: z.string(), url: z.string(), alt: z.string(), position: z.number().int(), source: z.enum(["upload", "external"]) }),
    ),
    price: PriceSummary,
    variants: z.array(
      z.object({
        id: z.string(),
        sku: z.string(),
        options: z.record(z.string(), z.string()),
        position: z.number().int(),
        weightGrams: z.number().int().nullable(),
        dimensions: z.object({ lengthMm: z.number().int(), widthMm: z.number().int(), heightMm: z.number().int() }).nullable(),
        inStock: z.boolean(),
        price: UnitPrice,
      }),
    ),
    rating: Rating,
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Product");

export const ProductSummarySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(["draft", "active", "archived"]),
    brand: Ref.nullable(),
    category: CategoryRef.nullable(),
    tags: z.array(z.string()),
    imageUrl: z.string().nullable(),
    price: PriceSummary,
    inStock: z.boolean(),
    rating: Rating,
    createdAt: z.string(),
  })
  .openapi("ProductSummary");

const bool = z.enum(["true", "false"]).transform((v) => v === "true");

// Strict: a parameter the listing does not know (`search`, say) is refused with 422, never silently ignored.
export const ListQuerySchema = z.strictObject({
  category: z.string().max(300).optional().openapi({ description: "Category id or path (`clothing/shirts`); includes its subcategories" }),
  brand: z.string().max(120).optional().openapi({ description: "Brand id or slug" }),
  tag: z.string().max(40).optional(),
  minPrice: z.coerce.number().int().min(0).optional().openapi({ description: 'Lowest "from" price, minor units, after discounts' }),
  maxPrice: z.coerce.number().int().min(0).optional().openapi({ description: 'Highest "from" price, minor units, after discounts' }),
  currency: Currency.optional(),
  inStock: bool.optional().openapi({ description: "true: only products with a variant in stock" }),
  sort: z.enum(SORTS).default("newest"),
  status: z.enum(["draft", "active", "archived"]).optional().openapi({ description: "Admins only; the public sees active products" }),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: "Page size, at most 100" }),
  cursor: cursorParam,
});

export const ExternalImage = z
  .object({
    url: z.string().max(2048).openapi({ example: "https://images.example.com/shirt.jpg" }),
    alt: z.string().max(300).default(""),
    position: z.number().int().min(0).max(1000).optional(),
  })
  .strict()
  .openapi("ExternalImage");
export const ImageUploadQuery = z.object({
  alt: z.string().max(300).default(""),
  position: z.coerce.number().int().min(0).max(1000).optional(),
});
