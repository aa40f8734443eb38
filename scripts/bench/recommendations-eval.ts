/**
 * Offline evaluation of the recommenders: replays a generated order history
 * (recommendations-history.ts: customers with tastes, complementary
 * products), hides each customer's last order, builds the same tables the
 * consumer keeps (customers per product, customers per pair, decayed
 * trending) from the rest, and asks each recommender for ten products per
 * customer, ranked by the scoring functions the endpoints use. Prints
 * precision@10, recall@10 and catalogue coverage per algorithm, against
 * the popularity baseline on the same split.
 *
 *   npx tsx scripts/bench/recommendations-eval.ts [--seed 17] [--customers 2000]
 */
import { parseArgs } from "node:util";
import {
  aggregateNeighbours,
  CONTENT_PULL,
  CONTENT_SEEDS,
  composeFeed,
  coPurchaseScore,
  decay,
  NEIGHBOURS_PER_SEED,
  rankSimilar,
  type Scored,
  SIGNAL_WEIGHTS,
  topN,
} from "../../workers/recommendations/scoring.ts";
import { round } from "./measure.ts";
import { generateHistory, type Order } from "./recommendations-history.ts";

const { values } = parseArgs({ options: { seed: { type: "string", default: "17" }, customers: { type: "string", default: "2000" } } });
const K = 10;
const TREND_HALF_LIFE_HOURS = 72; // as TREND_HALF_LIFE_SECONDS in model-updates.ts

const history = generateHistory({ seed: Number(values.seed), customers: Number(values.customers) });
const features = new Map(history.products.map((p) => [p.productId, p]));

// The split: each customer's last order is hidden; everything else is training data.
const byCustomer = new Map<number, Order[]>();
for (const o of history.orders) byCustomer.set(o.customer, [...(byCustomer.get(o.customer) ?? []), o]);
const hidden = new Map<number, Order>();
const train: Order[] = [];
for (const [customer, orders] of byCustomer) {
  orders.sort((a, b) => a.day - b.day);
  if (orders.length >= 2) hidden.set(customer, orders.at(-1)!);
  train.push(...(orders.length >= 2 ? orders.slice(0, -1) : orders));
}

// The tables the consumer keeps, from the training orders: held products per customer, buyers per product, customers per pair.
const held = new Map<number, Set<string>>();
for (const o of train) for (const p of o.products) held.set(o.customer, (held.get(o.customer) ?? new Set()).add(p));
const buyers = new Map<string, number>();
const pairs = new Map<string, Map<string, number>>();
for (const items of held.values()) {
  for (const a of items) {
    buyers.set(a, (buyers.get(a) ?? 0) + 1);
    for (const b of items) if (a !== b) pairs.set(a, (pairs.get(a) ?? new Map()).set(b, (pairs.get(a)?.get(b) ?? 0) + 1));
  }
}
/** Co-purchase neighbours as reads.ts returns them: the most-shared first, capped per seed, scored by significance. */
const coNeighbours = new Map<string, Scored[]>();
for (const [a, others] of pairs) {
  const capped = [...others].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, NEIGHBOURS_PER_SEED);
  coNeighbours.set(
    a,
    capped.map(([b, shared]) => ({ productId: b, score: coPurchaseScore(shared, buyers.get(a)!, buyers.get(b)!) })),
  );
}
const neighboursOf = (id: string) => coNeighbours.get(id) ?? [];

const popularity = topN(
  [...buyers].map(([productId, n]) => ({ productId, score: n })),
  history.products.length,
);

/** Trending as of a day: purchases' weights halved every half-life, from training orders before that day. */
const trainByDay = [...train].sort((a, b) => a.day - b.day);
function trendingAt(day: number, category: string | null): Scored[] {
  const score = new Map<string, number>();
  for (const o of trainByDay) {
    if (o.day > day) break;
    for (const p of o.products) {
      if (category && features.get(p)!.categoryPath !== category) continue;
      score.set(p, (score.get(p) ?? 0) + decay(SIGNAL_WEIGHTS.purchase, (day - o.day) * 24, TREND_HALF_LIFE_HOURS));
    }
  }
  return topN(
    [...score].map(([productId, s]) => ({ productId, score: s })),
    history.products.length,
  );
}

const without = (list: readonly Scored[], exclude: ReadonlySet<string>) => list.filter((s) => !exclude.has(s.productId)).slice(0, K);

type Recommend = (customer: number, target: Order) => Scored[];
const ALGORITHMS: Record<string, Recommend> = {
  popularity: (c) => without(popularity, held.get(c) ?? new Set()),
  trending: (c, t) => without(trendingAt(t.day, null), held.get(c) ?? new Set()),
  "also-bought": (c) => {
    const owned = held.get(c) ?? new Set<string>();
    const last = byCustomer.get(c)!.at(-2)!.products;
    return aggregateNeighbours(
      last.map((productId) => ({ productId, weight: 1, ageHours: 0 })),
      neighboursOf,
      owned,
      K,
    );
  },
  // The same seeds ranked by raw shared-customer counts: what the significance weighting is measured against.
  "also-bought, raw counts": (c) => {
    const owned = held.get(c) ?? new Set<string>();
    const last = byCustomer.get(c)!.at(-2)!.products;
    return aggregateNeighbours(
      last.map((productId) => ({ productId, weight: 1, ageHours: 0 })),
      (id) => [...(pairs.get(id) ?? [])].map(([productId, shared]) => ({ productId, score: shared })),
      owned,
      K,
    );
  },
  similar: (c) => {
    const owned = held.get(c) ?? new Set<string>();
    const score = new Map<string, number>();
    for (const p of byCustomer.get(c)!.at(-2)!.products)
      for (const s of rankSimilar(features.get(p)!, history.products, 50)) score.set(s.productId, (score.get(s.productId) ?? 0) + s.score);
    return without(
      topN(
        [...score].map(([productId, s]) => ({ productId, score: s })),
        K + owned.size,
      ),
      owned,
    );
  },
  personal: (c, t) => {
    const owned = held.get(c) ?? new Set<string>();
    const past = byCustomer.get(c)!.slice(0, -1).reverse();
    const seeds = past.flatMap((o) =>
      o.products.map((productId) => ({ productId, weight: SIGNAL_WEIGHTS.purchase, ageHours: (t.day - o.day) * 24 })),
    );
    const seedIds = [...new Set(seeds.map((s) => s.productId))].slice(0, 20);
    const content = new Map<string, Scored[]>();
    for (const id of seedIds.filter((id) => neighboursOf(id).length === 0).slice(0, CONTENT_SEEDS))
      content.set(
        id,
        rankSimilar(features.get(id)!, history.products, 20).map((s) => ({ ...s, score: s.score * CONTENT_PULL })),
      );
    const categories = [...new Set(seeds.map((s) => features.get(s.productId)!.categoryPath!))].slice(0, 3);
    const fallback = [
      ...categories.flatMap((cat) => trendingAt(t.day, cat).slice(0, K)),
      ...trendingAt(t.day, null).slice(0, K + owned.size),
    ];
    return composeFeed({ seeds, exclude: owned, neighboursOf: (id) => [...neighboursOf(id), ...(content.get(id) ?? [])], fallback }, K);
  },
};

const rows: { algorithm: string; precision: number; recall: number; coverage: number; customers: number }[] = [];
for (const [name, recommend] of Object.entries(ALGORITHMS)) {
  let precision = 0;
  let recall = 0;
  let evaluated = 0;
  const shown = new Set<string>();
  for (const [customer, target] of hidden) {
    const owned = held.get(customer) ?? new Set<string>();
    // What the customer bought for the first time in the hidden order: a repeat is not a discovery.
    const wanted = new Set(target.products.filter((p) => !owned.has(p)));
    if (wanted.size === 0) continue;
    const list = recommend(customer, target).slice(0, K);
    for (const s of list) shown.add(s.productId);
    const hits = list.filter((s) => wanted.has(s.productId)).length;
    precision += hits / K;
    recall += hits / wanted.size;
    evaluated++;
  }
  rows.push({
    algorithm: name,
    precision: precision / evaluated,
    recall: recall / evaluated,
    coverage: shown.size / history.products.length,
    customers: evaluated,
  });
}

const base = rows.find((r) => r.algorithm === "popularity")!;
console.log(
  `history: ${history.products.length} products, ${byCustomer.size} customers, ${history.orders.length} orders (${train.length} for training); ${base.customers} customers evaluated (last order hidden, new products in it)`,
);
console.table(
  rows.map((r) => ({
    algorithm: r.algorithm,
    "precision@10": round(r.precision, 4),
    "recall@10": round(r.recall, 4),
    coverage: round(r.coverage, 3),
    "precision vs popularity": `${round(r.precision / base.precision, 2)}x`,
    "recall vs popularity": `${round(r.recall / base.recall, 2)}x`,
  })),
);
