/**
 * Search answers through the runtime's HTTP cache, keyed by the normalised
 * query: the same words (whitespace collapsed) with the same filters, sort,
 * page and language share one entry whatever order the URL gave them in.
 *
 * An entry is fresh for SEARCH_EDGE_FRESH_SECONDS (30 by default), then served stale for up to
 * SEARCH_EDGE_STALE_SECONDS (30) more while one background render per isolate replaces it
 * (stale-while-revalidate, done by hand: the Cache API keeps an entry until
 * its s-maxage and has no revalidation of its own). So a catalogue change
 * reaches search answers within the two together at most, and typically
 * within the first; search results carry no personal data, so
 * one entry serves every shopper. Staff who manage the relevance rules
 * bypass the entry and refresh it with what they see.
 */
import { hasRole } from "../platform/auth.ts";
import { type AppContext, dbOf } from "../platform/context.ts";
import { type Database, withDb } from "../platform/db.ts";
import { errorFields, log } from "../platform/log.ts";
import { searchConfig } from "./config.ts";

/** What a caller keeps beside a cached body (e.g. the total, for the query log on a hit). */
export type Meta = Record<string, string>;
export interface Rendered {
  body: string;
  meta: Meta;
}
export interface Served extends Rendered {
  cache: "HIT" | "STALE" | "MISS" | "BYPASS";
}

/** Runs of whitespace as one space: the search reads words, so "a  b" and "a b" are the same query. */
export function normaliseWords(q: string): string {
  return q.trim().replace(/\s+/g, " ");
}

/** The internal cache key (never a URL a client can request): the parts in a fixed order, lists sorted and deduplicated. */
export function searchKey(c: AppContext, name: string, parts: Record<string, string | number | readonly string[] | undefined>): string {
  const url = new URL(`/__search/${name}`, new URL(c.req.url).origin);
  for (const k of Object.keys(parts).sort()) {
    const value = parts[k];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of [...new Set(value)].sort()) url.searchParams.append(k, item);
    else url.searchParams.set(k, String(value));
  }
  return url.toString();
}

const META_PREFIX = "x-search-";
const refreshing = new Set<string>();

function store(c: AppContext, key: string, rendered: Rendered): void {
  const { SEARCH_EDGE_FRESH_SECONDS: FRESH_SECONDS, SEARCH_EDGE_STALE_SECONDS: STALE_SECONDS } = searchConfig.read(c.env);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "cache-control": `public, s-maxage=${FRESH_SECONDS + STALE_SECONDS}`,
    "x-fresh-until": String(Date.now() + FRESH_SECONDS * 1000),
  };
  for (const [k, v] of Object.entries(rendered.meta)) headers[META_PREFIX + k] = v;
  c.env.waitUntil(
    c.env.cache
      .put(new Request(key), new Response(rendered.body, { headers }))
      .catch((err) => log.warn("search.cache_put_failed", { key, ...errorFields(err) })),
  );
}

/** A render of the answer; the background refresh runs after the response, on a database handle of its own. */
type Render = (db: Database) => Promise<Rendered>;

function refreshInBackground(c: AppContext, key: string, render: Render): void {
  if (refreshing.has(key)) return;
  refreshing.add(key);
  c.env.waitUntil(
    withDb(c.env, render)
      .then((fresh) => store(c, key, fresh))
      .catch((err) => log.warn("search.cache_refresh_failed", { key, ...errorFields(err) }))
      .finally(() => refreshing.delete(key)),
  );
}

/** The answer under `key`: from the cache when it has one (refreshed in the background once stale), else rendered and stored. */
export async function cachedSearch(c: AppContext, key: string, render: Render): Promise<Served> {
  if (searchConfig.read(c.env).SEARCH_EDGE_FRESH_SECONDS === 0) return { ...(await render(dbOf(c))), cache: "BYPASS" };
  if (hasRole(c.get("principal"), "admin")) {
    const rendered = await render(dbOf(c));
    store(c, key, rendered);
    return { ...rendered, cache: "BYPASS" };
  }
  const hit = await c.env.cache.match(new Request(key)).catch(() => undefined);
  if (hit) {
    const meta: Meta = {};
    hit.headers.forEach((value, name) => {
      if (name.startsWith(META_PREFIX)) meta[name.slice(META_PREFIX.length)] = value;
    });
    const fresh = Number(hit.headers.get("x-fresh-until")) > Date.now();
    if (!fresh) refreshInBackground(c, key, render);
    return { body: await hit.text(), meta, cache: fresh ? "HIT" : "STALE" };
  }
  const rendered = await render(dbOf(c));
  store(c, key, rendered);
  return { ...rendered, cache: "MISS" };
}

/** The headers of a served answer: browsers revalidate, shared caches may keep it as long as this isolate does. */
export function servedHeaders(c: AppContext, served: Served): Record<string, string> {
  const { SEARCH_EDGE_FRESH_SECONDS: fresh, SEARCH_EDGE_STALE_SECONDS: stale } = searchConfig.read(c.env);
  return {
    "content-type": "application/json",
    "cache-control":
      fresh === 0 ? "public, max-age=0, must-revalidate" : `public, max-age=0, s-maxage=${fresh}, stale-while-revalidate=${stale}`,
    "x-cache": served.cache,
  };
}
