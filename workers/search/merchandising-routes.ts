/**
 * Under /api/search, for admins: the relevance rules that queries read on
 * every search (so a change applies to the next search): synonyms, stop
 * words per language, and pinned or boosted products per query.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { jsonContent, listOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import {
  addMerchandising,
  addStopWord,
  addSynonym,
  deleteMerchandising,
  deleteStopWord,
  deleteSynonym,
  listMerchandising,
  listStopWords,
  listSynonyms,
} from "./merchandising.ts";
import {
  LanguageQuery,
  MerchandisingBody,
  MerchandisingParam,
  MerchandisingQuery,
  MerchandisingSchema,
  StopWordBody,
  StopWordParam,
  StopWordSchema,
  SynonymBody,
  SynonymParam,
  SynonymSchema,
} from "./merchandising-schemas.ts";

const security = [{ bearer: [] }];
const tags = ["Search rules"];
const admin = requireRole("admin");
const deleted = { 204: { description: "Deleted" } };

const listSynonymsRoute = createRoute({
  method: "get",
  path: "/synonyms",
  tags,
  summary: "The synonyms of a language",
  security,
  middleware: [admin] as const,
  request: { query: LanguageQuery },
  responses: { 200: jsonContent(listOf("SearchSynonymList", SynonymSchema), "Every synonym rule"), ...pick(401, 403, 422) },
});

const addSynonymRoute = createRoute({
  method: "post",
  path: "/synonyms",
  tags,
  summary: "Add a synonym: one-way (backpack → daypack) or two-way (sneakers ↔ trainers)",
  security,
  middleware: [admin] as const,
  request: { body: { required: true, content: { "application/json": { schema: SynonymBody } } } },
  responses: { 201: jsonContent(SynonymSchema, "The rule, with term and synonym normalised"), ...pick(401, 403, 409, 422) },
});

const deleteSynonymRoute = createRoute({
  method: "delete",
  path: "/synonyms/{id}",
  tags,
  summary: "Remove a synonym",
  security,
  middleware: [admin] as const,
  request: { params: SynonymParam },
  responses: { ...deleted, ...pick(401, 403, 404, 422) },
});

const listStopWordsRoute = createRoute({
  method: "get",
  path: "/stop-words",
  tags,
  summary: "The stop words of a language (ignored in queries, never a typo correction)",
  security,
  middleware: [admin] as const,
  request: { query: LanguageQuery },
  responses: { 200: jsonContent(listOf("SearchStopWordList", StopWordSchema), "Every stop word"), ...pick(401, 403, 422) },
});

const addStopWordRoute = createRoute({
  method: "post",
  path: "/stop-words",
  tags,
  summary: "Add a stop word",
  security,
  middleware: [admin] as const,
  request: { body: { required: true, content: { "application/json": { schema: StopWordBody } } } },
  responses: { 201: jsonContent(StopWordSchema, "The stop word, normalised"), ...pick(401, 403, 409, 422) },
});

const deleteStopWordRoute = createRoute({
  method: "delete",
  path: "/stop-words/{lang}/{word}",
  tags,
  summary: "Remove a stop word",
  security,
  middleware: [admin] as const,
  request: { params: StopWordParam },
  responses: { ...deleted, ...pick(401, 403, 404, 422) },
});

const listMerchandisingRoute = createRoute({
  method: "get",
  path: "/merchandising",
  tags,
  summary: "Pinned and boosted products, for one query or all (at most 500)",
  security,
  middleware: [admin] as const,
  request: { query: MerchandisingQuery },
  responses: { 200: jsonContent(listOf("SearchMerchandisingRuleList", MerchandisingSchema), "The rules"), ...pick(401, 403, 422) },
});

const addMerchandisingRoute = createRoute({
  method: "post",
  path: "/merchandising",
  tags,
  summary: "Pin a product at a position for a query, or boost it when it matches the query",
  description:
    "The query is matched as the shopper typed it or as corrected, after normalisation (case, accents, punctuation). Pinned products lead the relevance ranking in position order whether or not the text matches them, and respect the filters; a boost adds to the score of a product that matches. One rule per product and query.",
  security,
  middleware: [admin] as const,
  request: { body: { required: true, content: { "application/json": { schema: MerchandisingBody } } } },
  responses: { 201: jsonContent(MerchandisingSchema, "The rule"), ...pick(401, 403, 404, 409, 422) },
});

const deleteMerchandisingRoute = createRoute({
  method: "delete",
  path: "/merchandising/{id}",
  tags,
  summary: "Remove a pin or boost",
  security,
  middleware: [admin] as const,
  request: { params: MerchandisingParam },
  responses: { ...deleted, ...pick(401, 403, 404, 422) },
});

export const merchandisingRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
merchandisingRoutes
  .openapi(listSynonymsRoute, async (c) => c.json({ items: await listSynonyms(dbOf(c), c.req.valid("query").lang) }, 200))
  .openapi(addSynonymRoute, async (c) => c.json(await addSynonym(dbOf(c), c.req.valid("json")), 201))
  .openapi(deleteSynonymRoute, async (c) => {
    await deleteSynonym(dbOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(listStopWordsRoute, async (c) => c.json({ items: await listStopWords(dbOf(c), c.req.valid("query").lang) }, 200))
  .openapi(addStopWordRoute, async (c) => c.json(await addStopWord(dbOf(c), c.req.valid("json")), 201))
  .openapi(deleteStopWordRoute, async (c) => {
    const { lang, word } = c.req.valid("param");
    await deleteStopWord(dbOf(c), lang, word);
    return c.body(null, 204);
  })
  .openapi(listMerchandisingRoute, async (c) => c.json({ items: await listMerchandising(dbOf(c), c.req.valid("query").query) }, 200))
  .openapi(addMerchandisingRoute, async (c) => c.json(await addMerchandising(dbOf(c), c.req.valid("json")), 201))
  .openapi(deleteMerchandisingRoute, async (c) => {
    await deleteMerchandising(dbOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
