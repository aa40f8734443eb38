/**
 * Stale-if-error for public reads: the last good answer of a URL, kept at the
 * edge (the runtime's HTTP cache) apart from the fresh copy, and served when
 * the database cannot answer.
 *
 * The copy lives under its own key (the URL's path under `/__last-good`), so
 * a purge of the fresh copy after a write (a stock change, an edit) leaves it
 * in place: a shopper who saw a page keeps seeing it through an outage. Its
 * age is bounded: it is stored with that lifetime and refused past it. A
 * served copy says it is stale three ways: `Age`, `Warning: 110`, and a
 * `stale` field in the body a client can show ("prices and stock as of ...").
 */
import { platformConfig } from "./config.ts";
import { isDatabaseUnavailable } from "./db-errors.ts";
import { errorFields, log } from "./log.ts";
import { staleServedTotal } from "./metrics.ts";
import type { HttpCache, Runtime } from "./runtime.ts";

const PREFIX = "/__last-good";
const STORED_AT = "x-last-good-stored-at";
/** A read answered often refreshes its copy at most this often per isolate (answers that rarely change need no more). */
const REFRESH_EVERY_MS = 60_000;
const REFRESHED_MAX = 1000;
const refreshed = new Map<string, number>();

interface LastGood {
  body: string;
  storedAt: Date;
  ageSeconds: number;
}

/** The last-good key of a public URL: same origin, its own path, so no purge of the URL reaches it. */
function lastGoodKey(url: string): Request {
  const u = new URL(url);
  return new Request(`${u.origin}${PREFIX}${u.pathname}${u.search}`);
}

/** A read's URL with its query in a fixed order, so equivalent URLs share one copy. */
export function lastGoodUrl(requestUrl: string): string {
  const url = new URL(requestUrl);
  url.searchParams.sort();
  return url.toString();
}

const maxAgeOf = (rt: Pick<Runtime, "vars">) => platformConfig.read(rt).LAST_GOOD_MAX_AGE_SECONDS;

/** Keeps `body` as the URL's last good answer (in the background) for at most LAST_GOOD_MAX_AGE_SECONDS. */
export function keepLastGood(rt: Runtime, url: string, body: string): void {
  const maxAge = maxAgeOf(rt);
  const stored = new Response(body, {
    headers: {
      "content-type": "application/json",
      "cache-control": `public, s-maxage=${maxAge}`,
      [STORED_AT]: String(rt.clock.now().getTime()),
    },
  });
  rt.waitUntil(rt.cache.put(lastGoodKey(url), stored).catch((err) => log.warn("last_good.put_failed", { url, ...errorFields(err) })));
}

/** As keepLastGood, for reads served without an edge cache in front: at most once a minute per URL and isolate. */
export function refreshLastGood(rt: Runtime, url: string, body: string): void {
  const now = Date.now();
  if ((refreshed.get(url) ?? 0) > now - REFRESH_EVERY_MS) return;
  if (refreshed.size >= REFRESHED_MAX) refreshed.clear();
  refreshed.set(url, now);
  keepLastGood(rt, url, body);
}

async function findLastGood(cache: HttpCache, url: string, now: Date, maxAgeSeconds: number): Promise<LastGood | null> {
  const hit = await cache.match(lastGoodKey(url)).catch(() => undefined);
  if (!hit) return null;
  const storedAt = Number(hit.headers.get(STORED_AT));
  const ageSeconds = Math.max(0, Math.floor((now.getTime() - storedAt) / 1000));
  if (!Number.isFinite(storedAt) || storedAt <= 0 || ageSeconds > maxAgeSeconds) {
    await hit.body?.cancel();
    return null;
  }
  return { body: await hit.text(), storedAt: new Date(storedAt), ageSeconds };
}

/** A kept JSON value (not an answer: a fact such as a SKU's last price), with its age; null if none is young enough. */
export async function findLastGoodValue<T>(rt: Runtime, url: string): Promise<{ value: T; ageSeconds: number } | null> {
  const copy = await findLastGood(rt.cache, url, rt.clock.now(), maxAgeOf(rt));
  return copy ? { value: JSON.parse(copy.body) as T, ageSeconds: copy.ageSeconds } : null;
}

/**
 * The answer to a read that failed with `err`: when the database was
 * unavailable and the URL has a last-good copy young enough, that copy,
 * marked stale; otherwise null (the caller rethrows).
 */
export async function serveLastGood(rt: Runtime, url: string, err: unknown): Promise<Response | null> {
  if (!isDatabaseUnavailable(err)) return null;
  const copy = await findLastGood(rt.cache, url, rt.clock.now(), maxAgeOf(rt));
  if (!copy) return null;
  log.info("last_good.served_stale", { url, ageSeconds: copy.ageSeconds });
  staleServedTotal.inc();
  return new Response(markStale(copy), { status: 200, headers: staleHeaders(copy) });
}

/** The body of a stale answer: the kept JSON object with its `stale` marker (any other JSON is served as kept). */
function markStale(copy: LastGood): string {
  try {
    const value = JSON.parse(copy.body) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) return copy.body;
    const stale = { since: copy.storedAt.toISOString(), ageSeconds: copy.ageSeconds, reason: "database_unavailable" };
    return JSON.stringify({ ...value, stale });
  } catch {
    return copy.body;
  }
}

/** The headers of a stale answer: its age, the standard staleness warning, never stored downstream (no ETag: the body differs). */
function staleHeaders(copy: LastGood): Record<string, string> {
  return {
    "content-type": "application/json",
    age: String(copy.ageSeconds),
    warning: '110 - "Response is Stale"',
    "cache-control": "no-store",
    "x-cache": "STALE",
  };
}
