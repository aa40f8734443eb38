/**
 * The search family under /api/search: public search and suggestions, and
 * for admins the reindex trigger, the zero-result report and the relevance
 * rules (merchandising-routes.ts).
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { lastGoodUrl, refreshLastGood, serveLastGood } from "../platform/last-good.ts";
import { validationHook } from "../platform/problem-response.ts";
import { runJob } from "../scheduler/index.ts";
import type { SearchFilters } from "./domain.ts";
import { cachedSearch, normaliseWords, type Served, searchKey, servedHeaders } from "./edge-cache.ts";
import { merchandisingRoutes } from "./merchandising-routes.ts";
import { logSearchInBackground, zeroResultQueries } from "./query-log.ts";
import { toSearchResponse } from "./results.ts";
import {
  ReindexRunSchema,
  SearchQuery,
  SearchResponseSchema,
  SuggestQuery,
  SuggestResponseSchema,
  ZeroResultsQuery,
  ZeroResultsResponseSchema,
} from "./schemas.ts";
import { runSearch, suggest } from "./service.ts";

const security = [{ bearer: [] }];

const searchRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Search"],
  summary: "Full-text product search with typo tolerance, facets and highlighted snippets",
  description:
    "Searches active products by name (weighted highest), brand, category and description. Accents and case are ignored; a misspelt word is corrected to the catalogue word closest by Damerau-Levenshtein distance (one edit up to seven letters, two from eight, never to a stop word), and a word with nothing close is left out and reported rather than matched to something unrelated. The last word also matches as a prefix (as you type). Stop words are ignored and admin-managed synonyms widen words and phrases; pinned products lead the ranking for their query and boosted ones rise. Facet counts respect every active filter except their own.",
  request: { query: SearchQuery },
  responses: { 200: jsonContent(SearchResponseSchema, "A page of results with facets"), ...pick(422) },
});

const suggestRoute = createRoute({
  method: "get",
  path: "/suggest",
  tags: ["Search"],
  summary: "Autocomplete: product names, brands and categories for what has been typed",
  request: { query: SuggestQuery },
  responses: { 200: jsonContent(SuggestResponseSchema, "Suggestions"), ...pick(422) },
});

const reindexRoute = createRoute({
  method: "post",
  path: "/reindex",
  tags: ["Search"],
  summary: "Rebuild the search projection from the catalogue now (the search-reindex job), and wait for it",
  security,
  middleware: [requireRole("admin")] as const,
  responses: {
    200: jsonContent(ReindexRunSchema, "The finished run, or a skipped one if a reindex is already running"),
    ...pick(401, 403),
  },
});

const zeroResultsRoute = createRoute({
  method: "get",
  path: "/reports/zero-results",
  tags: ["Search"],
  summary: "Search queries that found nothing, most frequent first",
  security,
  middleware: [requireRole("admin", "analyst")] as const,
  request: { query: ZeroResultsQuery },
  responses: { 200: jsonContent(ZeroResultsResponseSchema, "A page of the report"), ...pick(401, 403, 422) },
});

export const searchRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
searchRoutes
  .openapi(searchRoute, async (c) => {
    const started = performance.now();
    const query = c.req.valid("query");
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The query is not valid", {
        errors: [{ field: "query.maxPrice", message: "must not be below minPrice" }],
      });
    }
    const filters: SearchFilters = {
      categories: query.category,
      brands: query.brand,
      minPriceMinor: query.minPrice,
      maxPriceMinor: query.maxPrice,
      minRating: query.minRating,
      inStock: query.inStock === undefined ? undefined : query.inStock === "true",
      currency: query.currency,
    };
    const input = {
      q: query.q === undefined ? null : normaliseWords(query.q),
      filters,
      sort: query.sort,
      page: query.page,
      limit: query.limit,
    };
    const key = searchKey(c, "results", {
      q: input.q ?? undefined,
      category: filters.categories,
      brand: filters.brands,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      minRating: query.minRating,
      inStock: query.inStock,
      currency: query.currency,
      lang: query.lang,
      sort: query.sort,
      page: query.page,
      limit: query.limit,
    });
    let served: Served;
    try {
      served = await cachedSearch(c, key, async (db) => {
        const body = toSearchResponse(input, await runSearch(db, input, query.lang));
        return { body: JSON.stringify(body), meta: { total: String(body.total), corrected: body.correctedQuery ?? "" } };
      });
    } catch (err) {
      // The database is unavailable: the last results for these words, marked stale, if any were kept.
      const stale = await serveLastGood(c.env, lastGoodUrl(c.req.url), err);
      if (stale) return stale as never;
      throw err;
    }
    refreshLastGood(c.env, lastGoodUrl(c.req.url), served.body);
    if (input.q !== null) {
      const { categories, brands, ...rest } = filters;
      await logSearchInBackground(c, {
        query: input.q,
        corrected: served.meta.corrected || null,
        // Unset filters are undefined and left out of the stored JSON.
        filters: { ...rest, category: categories.length ? categories : undefined, brand: brands.length ? brands : undefined },
        sort: input.sort,
        page: input.page,
        resultCount: Number(served.meta.total ?? 0),
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        requestId: c.get("requestId") ?? null,
      });
    }
    return new Response(served.body, { status: 200, headers: servedHeaders(c, served) }) as never;
  })
  .openapi(suggestRoute, async (c) => {
    const { q, limit } = c.req.valid("query");
    const words = normaliseWords(q);
    const key = searchKey(c, "suggest", { q: words.toLowerCase(), limit });
    try {
      const served = await cachedSearch(c, key, async (db) => ({ body: JSON.stringify(await suggest(db, words, limit)), meta: {} }));
      refreshLastGood(c.env, lastGoodUrl(c.req.url), served.body);
      return new Response(served.body, { status: 200, headers: servedHeaders(c, served) }) as never;
    } catch (err) {
      const stale = await serveLastGood(c.env, lastGoodUrl(c.req.url), err);
      if (stale) return stale as never;
      throw err;
    }
  })
  .openapi(reindexRoute, async (c) => {
    const job = c.get("jobs").find("search-reindex");
    if (!job) throw new ApiError(ErrorCode.INTERNAL, "The search-reindex job is not registered");
    const run = await runJob(c.env, job, { trigger: "manual" });
    return c.json(
      {
        id: run.id,
        job: run.job,
        outcome: run.outcome,
        error: run.error,
        result: run.result,
        startedAt: run.startedAt.toISOString(),
        finishedAt: run.finishedAt?.toISOString() ?? null,
      },
      200,
    );
  })
  .openapi(zeroResultsRoute, async (c) => {
    return c.json(await zeroResultQueries(dbOf(c), c.req.valid("query")), 200);
  });

searchRoutes.route("/", merchandisingRoutes);
