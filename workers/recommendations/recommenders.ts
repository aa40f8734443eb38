/**
 * The recommenders, each behind one interface: a name, a version of its
 * scoring, and `rank` from the precomputed tables. Every answer names the
 * algorithm and the model version (scoring version plus the nightly build
 * the tables were last rebuilt by), so a list can be traced to what made it.
 */
import type { Queryable } from "../platform/db.ts";
import { features, neighbours, type PresentedItem, popular, present, shopperHistory, similarCandidates, trending } from "./reads.ts";
import {
  aggregateNeighbours,
  CONTENT_PULL,
  CONTENT_SEEDS,
  composeFeed,
  coPurchaseScore,
  fillFrom,
  rankAlsoBought,
  rankSimilar,
  type Scored,
} from "./scoring.ts";

export const ALGORITHMS = ["also-bought", "similar", "personal", "trending", "popular", "cart-cross-sell"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface RankInput {
  /** The product of a product page. */
  productId?: string;
  /** The products in a cart. */
  productIds?: readonly string[];
  /** The shopper of a personal feed. */
  userId?: string;
  /** A category path for trending. */
  category?: string | null;
}

export interface Recommender {
  name: Algorithm;
  /** Bumped whenever the scoring changes, so lists made by different scorings can be told apart. */
  version: number;
  rank(db: Queryable, input: RankInput, limit: number): Promise<Scored[]>;
}

export interface Recommendation {
  algorithm: Algorithm;
  modelVersion: string;
  items: PresentedItem[];
}

/** Co-purchase neighbours scored for a set of seeds, as `aggregateNeighbours` wants them. */
async function coPurchaseLookup(db: Queryable, seeds: readonly string[]): Promise<(id: string) => Scored[]> {
  const n = await neighbours(db, seeds);
  return (id) =>
    (n.of.get(id) ?? []).map((x) => ({ productId: x.otherId, score: coPurchaseScore(x.shared, n.buyers.get(id) ?? 0, x.otherBuyers) }));
}

const alsoBought: Recommender = {
  name: "also-bought",
  version: 1,
  async rank(db, { productId }, limit) {
    if (!productId) return [];
    const n = await neighbours(db, [productId]);
    return rankAlsoBought(n.buyers.get(productId) ?? 0, n.of.get(productId) ?? [], limit);
  },
};

const similar: Recommender = {
  name: "similar",
  version: 1,
  async rank(db, { productId }, limit) {
    if (!productId) return [];
    const [seed] = await features(db, [productId]);
    if (!seed) return [];
    return rankSimilar(seed, await similarCandidates(db, seed), limit);
  },
};

const trendingRecommender: Recommender = {
  name: "trending",
  version: 1,
  rank: (db, { category }, limit) => trending(db, category ?? null, limit),
};

const popularRecommender: Recommender = {
  name: "popular",
  version: 1,
  rank: (db, _input, limit) => popular(db, limit),
};

/**
 * The personal feed: the shopper's recent signals pull their co-purchase
 * neighbours (seeds without purchase history pull content-similar products
 * instead), without what they already own or what cannot be sold; topped up
 * from trending in their categories, then overall.
 */
const personal: Recommender = {
  name: "personal",
  version: 1,
  async rank(db, { userId }, limit) {
    if (!userId) return [];
    const history = await shopperHistory(db, userId);
    const seedIds = [...new Set(history.seeds.filter((s) => s.weight > 0).map((s) => s.productId))].slice(0, 20);
    // What the shopper already has or is looking at is not news to them; consumables run out and come back.
    const exclude = new Set([...history.owned, ...history.seeds.map((s) => s.productId).filter((id) => !history.consumables.has(id))]);
    const lookup = await coPurchaseLookup(db, seedIds);
    const contentFor = new Map<string, Scored[]>();
    // Content neighbours for the most recent seeds without co-purchases, so a new product still pulls its kind.
    for (const id of seedIds.filter((id) => lookup(id).length === 0).slice(0, CONTENT_SEEDS)) {
      const [seed] = await features(db, [id]);
      if (seed)
        contentFor.set(
          id,
          rankSimilar(seed, await similarCandidates(db, seed), 20).map((s) => ({ ...s, score: s.score * CONTENT_PULL })),
        );
    }
    let fallback: Scored[] = [];
    for (const category of history.categories) fallback = [...fallback, ...(await trending(db, category, limit))];
    fallback = [...fallback, ...(await trending(db, null, limit + exclude.size))];
    return composeFeed(
      { seeds: history.seeds, exclude, neighboursOf: (id) => [...lookup(id), ...(contentFor.get(id) ?? [])], fallback },
      limit,
    );
  },
};

/** Cart cross-sell: what customers of the cart's products also bought, not already in the cart; topped up from trending. */
const cartCrossSell: Recommender = {
  name: "cart-cross-sell",
  version: 1,
  async rank(db, { productIds = [] }, limit) {
    const cart = new Set(productIds);
    const lookup = await coPurchaseLookup(db, [...cart]);
    const ranked = aggregateNeighbours(
      [...cart].map((productId) => ({ productId, weight: 1, ageHours: 0 })),
      lookup,
      cart,
      limit,
    );
    return fillFrom(ranked, await trending(db, null, limit + cart.size), cart, limit);
  },
};

export const RECOMMENDERS: Record<Algorithm, Recommender> = {
  "also-bought": alsoBought,
  similar,
  personal,
  trending: trendingRecommender,
  popular: popularRecommender,
  "cart-cross-sell": cartCrossSell,
};

/** Runs a recommender and presents its list with the algorithm's name and model version. */
export async function recommend(db: Queryable, algorithm: Algorithm, input: RankInput, limit: number): Promise<Recommendation> {
  const r = RECOMMENDERS[algorithm];
  const { items, buildId } = await present(db, await r.rank(db, input, limit));
  return { algorithm, modelVersion: `${r.name}@${r.version}+${buildId ?? "incremental"}`, items };
}
