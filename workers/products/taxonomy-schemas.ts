/** Request and response schemas of the catalog's categories, brands and tags (they also make their part of the OpenAPI document). */
import { z } from "@hono/zod-openapi";
import { CategoryId, Slug } from "./schema-fields.ts";

export const CategorySchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    slug: z.string(),
    name: z.string(),
    path: z.string(),
    depth: z.number().int(),
    position: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Category");
export const CategoryCreate = z
  .object({
    slug: Slug.optional(),
    name: z.string().trim().min(1).max(120),
    parentId: CategoryId.nullable().default(null),
    position: z.number().int().min(0).max(100_000).default(0),
  })
  .strict()
  .openapi("CategoryCreate");
export const CategoryPatch = z
  .object({
    slug: Slug,
    name: z.string().trim().min(1).max(120),
    parentId: CategoryId.nullable(),
    position: z.number().int().min(0).max(100_000),
  })
  .partial()
  .strict()
  .openapi("CategoryPatch");

export const BrandSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), version: z.number().int(), createdAt: z.string(), updatedAt: z.string() })
  .openapi("Brand");
const brandFields = { slug: Slug.optional(), name: z.string().trim().min(1).max(120) };
export const BrandCreate = z.object(brandFields).strict().openapi("BrandCreate");
export const BrandPatch = z
  .object({ ...brandFields, slug: Slug })
  .partial()
  .strict()
  .openapi("BrandPatch");

export const TagSchema = z.object({ tag: z.string(), count: z.number().int() }).openapi("TagCount");
