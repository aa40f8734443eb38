/**
 * Recommendation lists through the runtime's HTTP cache: a list is computed
 * once per key and served from the cache for a short time, which keeps a
 * product page's carousel fast and stable while a shopper browses. Public
 * lists (a product's neighbours, trending) share a key per URL; a personal
 * feed is keyed by its user and only read after the caller was authorised,
 * and answers `private` to the browser.
 */
import type { AppContext } from "../platform/context.ts";
import { errorFields, log } from "../platform/log.ts";

/** How long a list stays the same. */
export const LIST_TTL_SECONDS = 60;

/** The internal cache key of a list: never a URL a client can request. */
export function listKey(c: AppContext, name: string, parts: Record<string, string | number | undefined>): string {
  const url = new URL(`/__recommendations/${name}`, new URL(c.req.url).origin);
  for (const k of Object.keys(parts).sort()) if (parts[k] !== undefined) url.searchParams.set(k, String(parts[k]));
  return url.toString();
}

/**
 * Serves a JSON body from the cache under `key`, or renders, stores and
 * serves it. The response is built by hand (a cache hit is a stored body),
 * and typed route handlers only know c.json, hence the cast to `never`.
 */
export async function cachedList(
  c: AppContext,
  key: string,
  visibility: "public" | "private",
  render: () => Promise<unknown>,
): Promise<never> {
  return (await serveList(c, key, visibility, render)) as never;
}

async function serveList(c: AppContext, key: string, visibility: "public" | "private", render: () => Promise<unknown>): Promise<Response> {
  const cacheControl = visibility === "public" ? `public, max-age=${LIST_TTL_SECONDS}` : `private, max-age=${LIST_TTL_SECONDS}`;
  const request = new Request(key);
  const hit = await c.env.cache.match(request).catch(() => undefined);
  if (hit)
    return new Response(hit.body, { headers: { "content-type": "application/json", "cache-control": cacheControl, "x-cache": "HIT" } });
  const body = JSON.stringify(await render());
  const stored = new Response(body, {
    headers: { "content-type": "application/json", "cache-control": `public, s-maxage=${LIST_TTL_SECONDS}` },
  });
  c.env.waitUntil(
    c.env.cache.put(request, stored).catch((err) => log.warn("recommendations.cache_put_failed", { key, ...errorFields(err) })),
  );
  return new Response(body, { headers: { "content-type": "application/json", "cache-control": cacheControl, "x-cache": "MISS" } });
}
