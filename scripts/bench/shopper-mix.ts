/**
 * "browse mix" of `npm run bench`: the read traffic of a shop's visitors,
 * with the edge cache's hit rate under it. Each step is one request, drawn
 * with a fixed seed: 35 % a product page, 30 % a category page (one of four
 * sorts, half of them in stock only), 10 % the first listing page and 25 % a
 * search; and, every 2 seconds whatever the rate, a staff edit of a product
 * (read, then PATCH with If-Match), which purges that product's page and the
 * listings it is on. Products, categories and search
 * terms are picked by popularity (Zipf, exponent 1), as real traffic is
 * skewed. The hit rate counts the `x-cache` answers of the reads: HIT and
 * STALE (served from the cache) against MISS.
 */
import { request } from "undici";
import { parseServerTiming } from "../../workers/platform/server-timing.ts";
import { OPS_TOKEN } from "./fixtures.ts";
import { rng } from "./recommendations-history.ts";
import type { Step, StepResult } from "./step-load.ts";

const EDIT_EVERY_MS = 2_000;

export interface MixSample {
  slugs: string[];
  categories: string[];
  terms: string[];
}

/** A Zipf picker over `n` ranks (0 the most popular), driven by `random`. */
function zipf(n: number, random: () => number): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k;
    cumulative.push(sum);
  }
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface MixCounts {
  reads: Record<string, number>;
  edits: number;
}

/** The mix as a step, and the counts of its answers by `x-cache` (read them after the run). */
export function browseMix(base: string, s: MixSample, seed = 7): { step: Step; counts: MixCounts } {
  const random = rng(seed);
  const product = zipf(s.slugs.length, random);
  const category = zipf(s.categories.length, random);
  const term = zipf(s.terms.length, random);
  const counts: MixCounts = { reads: {}, edits: 0 };
  const admin = { authorization: `Bearer ${OPS_TOKEN}` };
  const sorts = ["newest", "price_asc", "price_desc", "rating"];

  const read = async (agent: Parameters<Step>[0], url: string): Promise<StepResult> => {
    const res = await request(url, { dispatcher: agent });
    await res.body.dump();
    const cache = String(res.headers["x-cache"] ?? "none");
    counts.reads[cache] = (counts.reads[cache] ?? 0) + 1;
    return { ok: res.statusCode === 200, requests: 1, cost: parseServerTiming(res.headers["server-timing"] as string | undefined) };
  };

  const edit = async (agent: Parameters<Step>[0], slug: string, i: number): Promise<StepResult> => {
    const current = await request(`${base}/api/products/${slug}`, { dispatcher: agent, headers: admin });
    const body = (await current.body.json()) as { id?: string };
    const etag = current.headers.etag as string | undefined;
    if (!body.id || !etag) return { ok: false, requests: 1, cost: {} };
    const res = await request(`${base}/api/products/${body.id}`, {
      method: "PATCH",
      dispatcher: agent,
      headers: { ...admin, "content-type": "application/json", "if-match": etag },
      body: JSON.stringify({ description: `Edited by the browse mix, step ${i}.` }),
    });
    await res.body.dump();
    counts.edits += 1;
    // Two editors of one product at once: the second is told so (409), which is the API working.
    return { ok: res.statusCode === 200 || res.statusCode === 409, requests: 2, cost: {} };
  };

  let lastEdit = Date.now();
  const step: Step = async (agent, i) => {
    try {
      if (Date.now() - lastEdit >= EDIT_EVERY_MS) {
        lastEdit = Date.now();
        return await edit(agent, s.slugs[product()]!, i);
      }
      const r = random() * 100;
      if (r < 35) return await read(agent, `${base}/api/products/${s.slugs[product()]}`);
      if (r < 65) {
        const sort = sorts[Math.floor(random() * sorts.length)];
        const inStock = random() < 0.5 ? "&inStock=true" : "";
        return await read(
          agent,
          `${base}/api/products?category=${encodeURIComponent(s.categories[category()]!)}&sort=${sort}${inStock}&limit=20`,
        );
      }
      if (r < 75) return await read(agent, `${base}/api/products?limit=20`);
      return await read(agent, `${base}/api/search?q=${encodeURIComponent(s.terms[term()]!)}`);
    } catch {
      return { ok: false, requests: 1, cost: {} };
    }
  };
  return { step, counts };
}

/** Hits (HIT and STALE) over the reads the cache decided (HIT, STALE, MISS). */
export function hitRate(counts: MixCounts): string {
  const hits = (counts.reads.HIT ?? 0) + (counts.reads.STALE ?? 0);
  const decided = hits + (counts.reads.MISS ?? 0);
  const by = Object.entries(counts.reads)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return `hit rate ${decided ? ((100 * hits) / decided).toFixed(1) : "n/a"} % (${by}; ${counts.edits} edits)`;
}
