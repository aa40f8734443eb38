/** Request and response schemas of the search API (validation and the OpenAPI document). */
import { z } from "@hono/zod-openapi";
import { StaleCopySchema } from "../platform/http-schemas.ts";
import { listParam, MAX_LIMIT, MAX_PAGE, MAX_QUERY_LENGTH, SEARCH_SORTS } from "./domain.ts";

/**
 * Postgres refuses a NUL byte in text, and no other control character belongs in a query.
 * The class is \p{Cc} spelled as ranges, without a flag: the pattern is published in the
 * OpenAPI document, where a JSON Schema pattern carries no flags.
 */
export const NO_CONTROLS = /^[^\u0000-\u001F\u007F-\u009F]*$/;

/** An ISO 639-1 language code. */
export const Language = z.string().regex(/^[a-z]{2}$/, "must be a two-letter language code such as en");

const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a slug");
const CategoryPath = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/, "must be a category path such as electronics/audio");

/** Repeated (`brand=a&brand=b`) or comma-separated (`brand=a,b`). */
const listOf = (item: z.ZodString, description: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform(listParam)
    .pipe(z.array(item).max(20))
    .openapi({ description });

export const SearchQuery = z.object({
  q: z.string().trim().min(1).max(MAX_QUERY_LENGTH).regex(NO_CONTROLS, "must not contain control characters").optional().openapi({
    description: "Search text; typos and accents are tolerated. Without it, the active catalogue is browsed.",
    example: "wireless headphones",
  }),
  category: listOf(CategoryPath, "Category paths; each includes its subcategories"),
  brand: listOf(Slug, "Brand slugs"),
  minPrice: z.coerce.number().int().min(0).optional().openapi({ description: "Lowest 'from' price, in minor units" }),
  maxPrice: z.coerce.number().int().min(0).optional().openapi({ description: "Highest 'from' price, in minor units" }),
  minRating: z.coerce.number().min(0).max(5).optional().openapi({ description: "Average rating at least this" }),
  inStock: z.enum(["true", "false"]).optional().openapi({ description: "Only products with (true) or without (false) stock available" }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .openapi({ description: "Only products priced in this currency (ISO 4217)" }),
  lang: Language.default("en").openapi({ description: "Language of the query: whose stop words and synonyms apply" }),
  sort: z
    .enum(SEARCH_SORTS)
    .default("relevance")
    .openapi({ description: "relevance (newest first without q), price_asc, price_desc, newest or rating" }),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(1)
    .openapi({ description: `Page number, at most ${MAX_PAGE}` }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(20)
    .openapi({ description: `Page size, at most ${MAX_LIMIT}` }),
});

const WordReadingSchema = z
  .object({
    typed: z.string(),
    kind: z.enum(["exact", "corrected", "prefix", "stop", "unmatched"]),
    searchedAs: z.string().nullable(),
    synonyms: z.array(z.string()).openapi({ description: "Synonyms the word (or a phrase it is part of) was widened to" }),
  })
  .openapi("SearchWordReading");

const FacetValue = z.object({ value: z.string(), label: z.string(), count: z.number().int() });

export const SearchItemSchema = z
  .object({
    productId: z.string(),
    slug: z.string(),
    name: z.string(),
    brand: z.object({ slug: z.string(), name: z.string() }).nullable(),
    category: z.object({ slug: z.string(), name: z.string(), path: z.string() }).nullable(),
    price: z
      .object({ minMinor: z.number().int(), maxMinor: z.number().int(), compareAtMinor: z.number().int().nullable(), currency: z.string() })
      .nullable()
      .openapi({ description: "List prices over the variants, in minor units; discounts are applied by the product endpoints" }),
    imageUrl: z.string().nullable(),
    inStock: z.boolean(),
    rating: z.object({ average: z.number(), count: z.number().int() }),
    score: z.number().openapi({ description: "Relevance; higher is better" }),
    highlights: z
      .object({ name: z.string().nullable(), description: z.string().nullable() })
      .openapi({ description: "HTML-escaped text with the matched words in <mark> elements; null without a query" }),
  })
  .openapi("SearchItem");

export const SearchResponseSchema = z
  .object({
    stale: StaleCopySchema,
    query: z.string().nullable(),
    correctedQuery: z.string().nullable().openapi({ description: "The words searched for, when a misspelt word was corrected" }),
    words: z.array(WordReadingSchema).openapi({
      description:
        "How each typed word was read: exact; corrected (a typo, within one edit up to seven letters and two from eight); prefix (the last word, completed as you type); stop (ignored); unmatched (nothing in the catalogue is close enough, so it is left out). When every word is unmatched nothing is searched and there are no results.",
    }),
    notice: z.string().nullable().openapi({ description: "Says which words matched nothing in the catalogue, if any" }),
    items: z.array(SearchItemSchema),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    nextPage: z.number().int().nullable(),
    facets: z.object({
      category: z.array(FacetValue).openapi({ description: "Counts per category path under every filter but the category filter" }),
      brand: z.array(FacetValue),
      price: z.array(z.object({ fromMinor: z.number().int(), toMinor: z.number().int().nullable(), count: z.number().int() })),
      rating: z.array(z.object({ minRating: z.number().int(), count: z.number().int() })),
      inStock: z.array(z.object({ value: z.boolean(), count: z.number().int() })),
    }),
  })
  .openapi("SearchResults");

export const SuggestQuery = z.object({
  q: z
    .string()
    .trim()
    .min(2)
    .max(100)
    .regex(NO_CONTROLS, "must not contain control characters")
    .openapi({ description: "What has been typed so far", example: "headph" }),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});

export const SuggestResponseSchema = z
  .object({
    stale: StaleCopySchema,
    products: z.array(z.object({ productId: z.string(), slug: z.string(), name: z.string() })),
    brands: z.array(z.object({ slug: z.string(), name: z.string(), count: z.number().int() })),
    categories: z.array(z.object({ path: z.string(), name: z.string(), count: z.number().int() })),
  })
  .openapi("SearchSuggestions");

export const ReindexRunSchema = z
  .object({
    id: z.string(),
    job: z.string(),
    outcome: z.enum(["running", "succeeded", "failed", "skipped"]),
    error: z.string().nullable(),
    result: z.unknown(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("SearchReindexRun");

export const ZeroResultsQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7).openapi({ description: "Look back this many days" }),
  page: z.coerce.number().int().min(1).max(100).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZeroResultsResponseSchema = z
  .object({
    items: z.array(z.object({ query: z.string(), searches: z.number().int(), lastSearchedAt: z.string(), example: z.string() })),
    nextPage: z.number().int().nullable(),
  })
  .openapi("SearchZeroResultQueries");
