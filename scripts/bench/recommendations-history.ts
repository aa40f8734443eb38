/**
 * A generated order history with structure a recommender can learn, for
 * the offline evaluation of the recommenders:
 * - a catalogue of categories (three subcategories each), brands, tags and
 *   price bands, where products of the first subcategory ("primaries", a
 *   camera, a tent) have two complements in the others (a lens, stakes);
 * - customers with one or two favourite categories, a favourite brand and a
 *   price band, who buy mostly in their categories, pick products by a
 *   long-tailed popularity bent by their brand and price, and often add a
 *   complement of what they bought, in the same order or a later one.
 * Seeded, so every run replays the same history.
 */
import type { ItemFeatures } from "../../workers/recommendations/scoring.ts";

/** mulberry32: a small, fast, seeded generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Order {
  customer: number;
  day: number;
  products: string[];
}

export interface History {
  products: ItemFeatures[];
  orders: Order[];
  /** Ground truth of the generator (not shown to the recommenders): complements of each primary. */
  complements: Map<string, string[]>;
}

export interface HistoryOptions {
  seed?: number;
  categories?: number;
  productsPerSubcategory?: number;
  customers?: number;
  days?: number;
}

export function generateHistory(opts: HistoryOptions = {}): History {
  const random = rng(opts.seed ?? 17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const nCat = opts.categories ?? 8;
  const perSub = opts.productsPerSubcategory ?? 12;
  const days = opts.days ?? 365;

  const products: ItemFeatures[] = [];
  const bySub: string[][][] = [];
  const popularity = new Map<string, number>();
  for (let c = 0; c < nCat; c++) {
    bySub.push([]);
    const tags = Array.from({ length: 6 }, (_, i) => `c${c}-tag${i}`);
    for (let s = 0; s < 3; s++) {
      bySub[c]!.push([]);
      const basePrice = [20000, 3000, 1500][s]! * (1 + c * 0.1);
      for (let k = 0; k < perSub; k++) {
        const id = `p${c}-${s}-${k}`;
        products.push({
          productId: id,
          categoryPath: `cat${c}/sub${s}`,
          brandId: `b${c}-${k % 4}`,
          tags: [pick(tags), pick(tags)],
          attributes: [`tier:${k % 3}`],
          priceMinor: Math.round(basePrice * (0.5 + random() * 1.5)),
        });
        bySub[c]![s]!.push(id);
        // A long tail: a few best-sellers per subcategory.
        popularity.set(id, 1 / (k + 1) ** 0.9);
      }
    }
  }
  const features = new Map(products.map((p) => [p.productId, p]));

  // Two complements per primary, from the other subcategories of its category (a close brand first).
  const complements = new Map<string, string[]>();
  for (let c = 0; c < nCat; c++) for (const primary of bySub[c]![0]!) complements.set(primary, [pick(bySub[c]![1]!), pick(bySub[c]![2]!)]);

  const weightedPick = (ids: readonly string[], weight: (id: string) => number): string => {
    const ws = ids.map(weight);
    let r = random() * ws.reduce((a, b) => a + b, 0);
    for (let i = 0; i < ids.length; i++) {
      r -= ws[i]!;
      if (r <= 0) return ids[i]!;
    }
    return ids[ids.length - 1]!;
  };

  const orders: Order[] = [];
  const nCustomers = opts.customers ?? 2000;
  for (let u = 0; u < nCustomers; u++) {
    const favourites = random() < 0.5 ? [Math.floor(random() * nCat)] : [Math.floor(random() * nCat), Math.floor(random() * nCat)];
    const brand = Math.floor(random() * 4);
    const priceBias = 0.6 + random() * 0.8;
    const taste = (id: string) => {
      const f = features.get(id)!;
      const brandBoost = f.brandId?.endsWith(`-${brand}`) ? 3 : 1;
      return popularity.get(id)! * brandBoost * (priceBias > 1 ? (f.priceMinor ?? 1) ** 0.1 : 1);
    };
    const nOrders = 2 + Math.floor(random() ** 2 * 8);
    const owedComplements: string[] = [];
    let day = Math.floor(random() * 60);
    for (let o = 0; o < nOrders && day < days; o++) {
      const basket = new Set<string>();
      // A complement of something bought earlier comes back in a later order.
      if (owedComplements.length > 0 && random() < 0.5)
        basket.add(owedComplements.splice(Math.floor(random() * owedComplements.length), 1)[0]!);
      const c = random() < 0.85 ? pick(favourites) : Math.floor(random() * nCat);
      const s = random() < 0.5 ? 0 : random() < 0.5 ? 1 : 2;
      const main = weightedPick(bySub[c]![s]!, taste);
      basket.add(main);
      for (const comp of complements.get(main) ?? []) {
        const r = random();
        if (r < 0.45) basket.add(comp);
        else if (r < 0.75) owedComplements.push(comp);
      }
      if (random() < 0.3) basket.add(weightedPick(bySub[pick(favourites)]![Math.floor(random() * 3)]!, taste));
      orders.push({ customer: u, day, products: [...basket] });
      day += 5 + Math.floor(random() * 50);
    }
  }
  return { products, orders, complements };
}
