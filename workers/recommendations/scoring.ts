/**
 * The recommenders' arithmetic, as plain functions over plain data. The
 * endpoints load a few rows from the precomputed tables and rank them here;
 * the offline evaluation (scripts/bench/recommendations-eval.ts) builds the
 * same inputs from a replayed history in memory and ranks them with the same
 * functions, so its figures measure the code that serves.
 */

/** A candidate with its score; higher is better. */
export interface Scored {
  productId: string;
  score: number;
}

/** Pairs seen fewer times than this are damped: one shared customer is weak evidence. */
export const SIGNIFICANCE_SHRINK = 2;

/**
 * Co-purchase significance: cosine of the two products' buyer sets
 * (shared / sqrt(buyersA · buyersB)), damped by shared / (shared + shrink),
 * so a pair of niche products bought once together does not outrank a pair
 * that many customers share, and a best-seller that everyone buys does not
 * dominate every list as it would by raw counts.
 */
export function coPurchaseScore(shared: number, buyersA: number, buyersB: number, shrink = SIGNIFICANCE_SHRINK): number {
  if (shared <= 0 || buyersA <= 0 || buyersB <= 0) return 0;
  return (shared / Math.sqrt(buyersA * buyersB)) * (shared / (shared + shrink));
}

/** A value halved every `halfLife` (same unit as `age`); future ages count as now. */
export function decay(value: number, age: number, halfLife: number): number {
  return value * 0.5 ** (Math.max(0, age) / halfLife);
}

/** The `limit` best, highest score first, ties by id so a list is stable between calls. */
export function topN(items: Iterable<Scored>, limit: number): Scored[] {
  return [...items]
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .slice(0, limit);
}

/** What content similarity looks at. */
export interface ItemFeatures {
  productId: string;
  categoryPath: string | null;
  brandId: string | null;
  tags: readonly string[];
  attributes: readonly string[];
  priceMinor: number | null;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  let shared = 0;
  for (const x of new Set(b)) if (set.has(x)) shared++;
  return shared / (set.size + new Set(b).size - shared);
}

/** Share of the deeper path that two category paths have in common from the root (1: the same category). */
export function categoryOverlap(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  const pa = a.split("/");
  const pb = b.split("/");
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return i / Math.max(pa.length, pb.length);
}

/** 1 for the same price, falling to 0 at twice (or half) the price. */
export function priceCloseness(a: number | null, b: number | null): number {
  if (!a || !b || a <= 0 || b <= 0) return 0;
  return Math.max(0, 1 - Math.abs(Math.log2(a / b)));
}

/** Weights of the content features; category dominates, as a shopper reads "similar" as "the same kind of thing". */
export const CONTENT_WEIGHTS = { category: 4, brand: 1, tags: 2, attributes: 1, price: 1.5 } as const;

/**
 * Content similarity of a candidate `b` to a seed `a`, 0 (nothing shared)
 * to 1; only the features the seed has count towards the whole, so a
 * product without tags or options is not penalised for lacking them.
 */
export function contentSimilarity(a: ItemFeatures, b: ItemFeatures): number {
  const w = CONTENT_WEIGHTS;
  const total =
    (a.categoryPath ? w.category : 0) +
    (a.brandId ? w.brand : 0) +
    (a.tags.length > 0 ? w.tags : 0) +
    (a.attributes.length > 0 ? w.attributes : 0) +
    (a.priceMinor ? w.price : 0);
  if (total === 0) return 0;
  const score =
    w.category * categoryOverlap(a.categoryPath, b.categoryPath) +
    w.brand * (a.brandId && a.brandId === b.brandId ? 1 : 0) +
    w.tags * jaccard(a.tags, b.tags) +
    w.attributes * jaccard(a.attributes, b.attributes) +
    w.price * priceCloseness(a.priceMinor, b.priceMinor);
  return score / total;
}

/** Products most like `seed` among `candidates` (the seed itself left out). */
export function rankSimilar(seed: ItemFeatures, candidates: readonly ItemFeatures[], limit: number): Scored[] {
  return topN(
    candidates.filter((c) => c.productId !== seed.productId).map((c) => ({ productId: c.productId, score: contentSimilarity(seed, c) })),
    limit,
  );
}

/** The most-shared neighbours considered per seed: enough for a top ten after exclusions, bounded for best-sellers. */
export const NEIGHBOURS_PER_SEED = 100;

/** A product's co-purchase neighbour with the counts the score needs. */
export interface Neighbour {
  otherId: string;
  shared: number;
  otherBuyers: number;
}

/** "Customers who bought this also bought": neighbours ranked by significance, not by raw count. */
export function rankAlsoBought(seedBuyers: number, neighbours: readonly Neighbour[], limit: number): Scored[] {
  return topN(
    neighbours.map((n) => ({ productId: n.otherId, score: coPurchaseScore(n.shared, seedBuyers, n.otherBuyers) })),
    limit,
  );
}

/** One thing a shopper did with a product, as a seed of their feed. */
export interface Seed {
  productId: string;
  /** The signal's weight (a purchase counts more than a view; a bad review or a return is negative). */
  weight: number;
  ageHours: number;
}

/** Seeds lose half their pull every three days: the feed follows what the shopper is looking at now. */
export const SEED_HALF_LIFE_HOURS = 72;

/**
 * Candidates for a set of seeds: each seed's neighbours (co-purchase first,
 * content similarity for seeds without purchase history) scored by the
 * seed's decayed weight times the neighbour's score, summed over seeds.
 * Seeds with a negative net weight pull nothing, and products in `exclude`
 * (the shopper's own seeds and purchases, consumables apart) are dropped;
 * what cannot be sold never reaches here.
 */
export function aggregateNeighbours(
  seeds: readonly Seed[],
  neighboursOf: (productId: string) => readonly Scored[],
  exclude: ReadonlySet<string>,
  limit: number,
): Scored[] {
  const pull = new Map<string, number>();
  for (const s of seeds) pull.set(s.productId, (pull.get(s.productId) ?? 0) + decay(s.weight, s.ageHours, SEED_HALF_LIFE_HOURS));
  const scores = new Map<string, number>();
  for (const [seed, weight] of pull) {
    if (weight <= 0) continue;
    for (const n of neighboursOf(seed)) {
      if (exclude.has(n.productId)) continue;
      scores.set(n.productId, (scores.get(n.productId) ?? 0) + weight * n.score);
    }
  }
  return topN(
    [...scores].map(([productId, score]) => ({ productId, score })),
    limit,
  );
}

/** Tops up a list from a fallback (trending, popular) without repeats or excluded products, keeping the list's order first. */
export function fillFrom(list: readonly Scored[], fallback: readonly Scored[], exclude: ReadonlySet<string>, limit: number): Scored[] {
  const out = list.slice(0, limit);
  const seen = new Set(out.map((s) => s.productId));
  // Fallback entries rank below every personal one, in their own order.
  const floor = out.length > 0 ? Math.min(...out.map((s) => s.score)) : 1;
  let i = 0;
  for (const f of fallback) {
    if (out.length >= limit) break;
    if (seen.has(f.productId) || exclude.has(f.productId)) continue;
    seen.add(f.productId);
    out.push({ productId: f.productId, score: floor * 0.5 ** ++i });
  }
  return out;
}

/** Content neighbours stand in for co-purchases at half strength, for this many of the most recent seeds that have none. */
export const CONTENT_PULL = 0.5;
export const CONTENT_SEEDS = 2;

/**
 * The personal feed from its inputs: the seeds' neighbours (co-purchase, or
 * content for new products) summed by decayed seed weight, then topped up
 * from the fallback (trending in the shopper's categories, then overall).
 */
export function composeFeed(
  input: {
    seeds: readonly Seed[];
    exclude: ReadonlySet<string>;
    neighboursOf: (productId: string) => readonly Scored[];
    fallback: readonly Scored[];
  },
  limit: number,
): Scored[] {
  return fillFrom(aggregateNeighbours(input.seeds, input.neighboursOf, input.exclude, limit), input.fallback, input.exclude, limit);
}

/** Signal weights: what each kind of event says about interest. */
export const SIGNAL_WEIGHTS = { view: 1, cart: 3, purchase: 5, cancel: -5, return: -6 } as const;

/** A review's weight: liked (4-5 stars) pulls, disliked (1-2) pushes away. */
export function reviewWeight(stars: number): number {
  return stars >= 4 ? 2 : stars <= 2 ? -4 : 0;
}
