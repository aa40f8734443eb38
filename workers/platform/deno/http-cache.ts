/**
 * The HTTP cache on Deno. Deno's Cache API keeps a response until it is
 * deleted and ignores `s-maxage` / `max-age`, while the families rely on
 * Cloudflare's behaviour: an entry lives as long as its Cache-Control says.
 * So the adapter stamps each stored response with its expiry and treats an
 * expired entry as a miss (and deletes it).
 */
import type { HttpCache } from "../runtime.ts";

const EXPIRES_HEADER = "x-edge-cache-expires-at";

/** Seconds a shared cache may keep the response, or null when it must not keep it. */
export function sharedLifetimeSeconds(cacheControl: string | null): number | null {
  if (!cacheControl) return null;
  const directives = cacheControl
    .toLowerCase()
    .split(",")
    .map((d) => d.trim());
  if (directives.some((d) => d === "no-store" || d === "private")) return null;
  const seconds = (name: string) => {
    const found = directives.find((d) => d.startsWith(`${name}=`));
    const value = found ? Number(found.slice(name.length + 1)) : Number.NaN;
    return Number.isFinite(value) && value >= 0 ? value : null;
  };
  return seconds("s-maxage") ?? seconds("max-age");
}

export function expiringCache(open: () => Promise<Cache>, now: () => number = Date.now): HttpCache {
  let cache: Promise<Cache> | undefined;
  const store = () => (cache ??= open());
  return {
    async match(request, options) {
      const c = await store();
      const hit = await c.match(request, options);
      if (!hit) return undefined;
      const expiresAt = Number(hit.headers.get(EXPIRES_HEADER));
      if (!(expiresAt > now())) {
        await c.delete(request);
        return undefined;
      }
      const headers = new Headers(hit.headers);
      headers.delete(EXPIRES_HEADER);
      return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers });
    },
    async put(request, response) {
      const lifetime = sharedLifetimeSeconds(response.headers.get("cache-control"));
      if (lifetime === null || lifetime === 0) return;
      const headers = new Headers(response.headers);
      headers.set(EXPIRES_HEADER, String(now() + lifetime * 1000));
      await (await store()).put(request, new Response(response.body, { status: response.status, headers }));
    },
    async delete(request, options) {
      return (await store()).delete(request, options);
    },
  };
}
