/**
 * Edge caching of the catalog's public reads with the Workers Cache API.
 *
 * A public GET is answered from the runtime's HTTP cache (`rt.cache`: the
 * Cache API's default cache on Workers) under a canonical URL when
 * it can be; otherwise it is rendered, stored with `s-maxage`, and its URL is
 * registered in catalog.edge_cache_urls (with the product it shows, or none
 * for listings). A catalog write then purges exactly what it affects: the
 * product's own URLs and every listing. Every response carries a strong
 * ETag, and If-None-Match gets a 304.
 *
 * The Cache API is local to a data centre, so a purge clears the location
 * that handled the write; elsewhere a copy lives at most its s-maxage, which
 * is kept short for that reason (and cut at the next discount boundary).
 * Admins bypass the cache: they must see what they are about to edit.
 *
 * Every rendered answer is also kept as the URL's last-good copy
 * (platform/last-good.ts), which purges do not touch: when the database
 * cannot answer, a page seen before is served from it, marked stale, for up
 * to LAST_GOOD_MAX_AGE_SECONDS.
 */
import { sql } from "drizzle-orm";
import { hasRole } from "../platform/auth.ts";
import type { AppContext } from "../platform/context.ts";
import { dbOf } from "../platform/context.ts";
import type { Queryable } from "../platform/db.ts";
import { isDatabaseUnavailable } from "../platform/db-errors.ts";
import { notFound } from "../platform/errors.ts";
import { keepLastGood, serveLastGood } from "../platform/last-good.ts";
import { errorFields, log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { ifNoneMatchHits } from "./etag.ts";

/** How long a public catalog response may be served from the edge without asking Postgres. */
export const EDGE_TTL_SECONDS = 30;

export interface Rendered {
  body: string;
  etag: string;
  ttlSeconds: number;
  /** What a purge looks for: the product a detail response shows, or null for listings. */
  productId: string | null;
}

export const isAdmin = (c: AppContext) => hasRole(c.get("principal"), "admin");

/** The cache key: the request's origin and path with the validated query in a fixed order, so equivalent URLs share an entry. */
export function canonicalUrl(c: AppContext, path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
  const url = new URL(path, new URL(c.req.url).origin);
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** Serves a public read through the edge cache. `render` returns null for a missing resource (404, not cached). */
export async function cachedRead(c: AppContext, key: string, render: () => Promise<Rendered | null>): Promise<Response> {
  if (isAdmin(c)) {
    const rendered = await render();
    if (!rendered) throw notFound("product");
    return respond(c, rendered.body, rendered.etag, "private, no-store", "BYPASS");
  }
  const cache = c.env.cache;
  const request = new Request(key);
  const hit = await cache.match(request).catch(() => undefined);
  if (hit) {
    const etag = hit.headers.get("etag") ?? "";
    // The cached body is streamed through as it is; a 304 does not read it at all.
    return respond(c, hit.body, etag, hit.headers.get("cache-control") ?? "", "HIT");
  }
  let rendered: Rendered | null;
  try {
    rendered = await render();
  } catch (err) {
    const stale = await serveLastGood(c.env, key, err);
    if (stale) return stale;
    throw err;
  }
  if (!rendered) throw notFound("product");
  keepLastGood(c.env, key, rendered.body);
  const cacheControl = `public, max-age=0, must-revalidate, s-maxage=${rendered.ttlSeconds}`;
  // Registered before it is stored, so a purge that runs in between finds the URL.
  try {
    await registerUrl(dbOf(c), key, rendered.productId, rendered.ttlSeconds);
  } catch (err) {
    // The database went away after the render: answer what was rendered, but keep no fresh copy no purge could find.
    if (!isDatabaseUnavailable(err)) throw err;
    return respond(c, rendered.body, rendered.etag, "no-store", "MISS");
  }
  // Cache-Tag lets an operator purge every location at once with the zone's purge-by-tag API; the Worker itself purges its own location.
  const cacheTag = rendered.productId ? `catalog,catalog-product-${rendered.productId}` : "catalog,catalog-lists";
  const stored = new Response(rendered.body, {
    headers: { "content-type": "application/json", etag: rendered.etag, "cache-control": cacheControl, "cache-tag": cacheTag },
  });
  c.env.waitUntil(cache.put(request, stored).catch((err) => log.warn("catalog.cache_put_failed", { key, ...errorFields(err) })));
  return respond(c, rendered.body, rendered.etag, cacheControl, "MISS");
}

function respond(
  c: AppContext,
  body: string | ReadableStream | null,
  etag: string,
  cacheControl: string,
  status: "HIT" | "MISS" | "BYPASS",
): Response {
  const headers = { etag, "cache-control": cacheControl, "x-cache": status };
  if (ifNoneMatchHits(c.req.header("if-none-match"), etag)) {
    if (body instanceof ReadableStream) void body.cancel();
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { status: 200, headers: { ...headers, "content-type": "application/json" } });
}

async function registerUrl(db: Queryable, url: string, productId: string | null, ttlSeconds: number): Promise<void> {
  await db.execute(sql`
    insert into catalog.edge_cache_urls (url, product_id, expires_at) values (${url}, ${productId}, now() + make_interval(secs => ${ttlSeconds}))
    on conflict (url) do update set product_id = excluded.product_id, expires_at = excluded.expires_at`);
}

export type PurgeScope = { all: true } | { productIds: string[] };

/**
 * Purges the cached URLs a committed change affects: the products' own
 * URLs and all listings, or everything. Expired registrations are dropped on
 * the way. Failures are logged, not raised: the change is committed and the
 * copies expire on their own.
 */
export async function purgeCached(rt: Pick<Runtime, "cache">, db: Queryable, scope: PurgeScope): Promise<number> {
  try {
    const where =
      "all" in scope
        ? sql`true`
        : sql`product_id is null or product_id = any(${sql.param(scope.productIds)}::text[]) or expires_at < now()`;
    const result = await db.execute<{ url: string; live: boolean }>(
      sql`delete from catalog.edge_cache_urls where ${where} returning url, expires_at > now() as live`,
    );
    const live = result.rows.filter((r) => r.live).map((r) => r.url);
    await Promise.all(live.map((url) => rt.cache.delete(new Request(url))));
    return live.length;
  } catch (err) {
    log.warn("catalog.cache_purge_failed", { scope: "all" in scope ? "all" : scope.productIds, ...errorFields(err) });
    return 0;
  }
}

/** Forgets registrations whose copies have expired (the nightly prune; purges also drop them as they go). */
export async function pruneCacheRegister(db: Queryable): Promise<number> {
  const result = await db.execute(sql`delete from catalog.edge_cache_urls where expires_at < now() - interval '1 minute'`);
  return result.rowCount ?? 0;
}
