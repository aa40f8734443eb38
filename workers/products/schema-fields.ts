/**
 * The fields the catalog's request and response schemas share: ids, slugs,
 * currencies and amounts, the If-Match header, a page of a list, and the
 * bearer security of its routes.
 */
import { z } from "@hono/zod-openapi";
import { StaleCopySchema } from "../platform/http-schemas.ts";
import { SLUG_PATTERN } from "./slugs.ts";

export const security = [{ bearer: [] }];

export const Slug = z.string().min(1).max(120).regex(SLUG_PATTERN, "lowercase letters, digits and single hyphens");
export const ProductId = z
  .string()
  .regex(/^prd_[0-9A-Z]{26}$/)
  .openapi({ example: "prd_01JB8ZK3M4N5P6Q7R8S9T0V1W2" });
const Id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`));
export const CategoryId = Id("cat");
export const BrandId = Id("brd");
export const DiscountId = Id("dsc");
export const ImageId = Id("img");
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD")
  .openapi({ example: "USD" });
export const Minor = z.number().int().min(0).max(2_000_000_000);

export const IfMatchHeader = z.object({
  "if-match": z.string().optional().openapi({ description: 'The ETag (or "v<version>") you read; required', example: '"v3"' }),
});

/** A page of a list, named for the OpenAPI document. */
export const page = <T extends z.ZodType>(name: string, item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable(), stale: StaleCopySchema }).openapi(name);
