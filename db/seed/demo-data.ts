/**
 * The demo catalogue: a category tree, brands, products with variants and
 * stock, and a few user accounts, built from the word lists in words.ts.
 *
 * Deterministic: the same seed gives the same catalogue (names, SKUs, prices,
 * stock), so screenshots, bug reports and benchmarks line up across machines.
 * Only the ids come from `makeId`, which defaults to the kernel's time-ordered
 * `newId`; pass a counter for fully reproducible output. Nothing here touches
 * a database or the clock, so it runs anywhere (Node, Workers, tests).
 */
import { newId } from "../../workers/platform/ids.ts";
import { CATALOGUE, FIRST_NAMES, LAST_NAMES, type OptionValue, STAFF, type SubcategorySpec, type TopCategorySpec } from "./words.ts";

export const DEMO_CURRENCY = "USD";
/** Matches the column default of inventory.stock_levels.low_stock_threshold. */
export const LOW_STOCK_THRESHOLD = 5;

export interface DemoCategory {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  path: string;
  position: number;
}
export interface DemoBrand {
  id: string;
  slug: string;
  name: string;
}
export type ProductStatus = "draft" | "active" | "archived";
export interface DemoProduct {
  id: string;
  slug: string;
  name: string;
  description: string;
  brandId: string;
  categoryId: string;
  status: ProductStatus;
  tags: string[];
}
export interface DemoVariant {
  id: string;
  productId: string;
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  compareAtMinor: number | null;
  currency: string;
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
}
/** A discount as catalog.discounts holds it; windows are relative to the `now` the generator is given. */
export interface DemoDiscount {
  id: string;
  name: string;
  kind: "percentage" | "fixed";
  percentBp: number | null;
  amountMinor: number | null;
  currency: string | null;
  scope: "product" | "category" | "all";
  productId: string | null;
  categoryId: string | null;
  startsAt: Date;
  endsAt: Date | null;
}
export interface DemoStock {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number;
}
export type UserRole = "customer" | "support" | "analyst" | "admin";
/** Passwords are not part of the data: the seed runner hashes them, since hashing is async and salted. */
export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  emailVerified: boolean;
}

export interface DemoData {
  categories: DemoCategory[];
  brands: DemoBrand[];
  products: DemoProduct[];
  variants: DemoVariant[];
  discounts: DemoDiscount[];
  stock: DemoStock[];
  users: DemoUser[];
}

export interface DemoOptions {
  seed?: number;
  activeProducts?: number;
  draftProducts?: number;
  archivedProducts?: number;
  customers?: number;
  makeId?: (prefix: string) => string;
  /** Discount windows are placed around this time (a fixed date unless given, to keep the output reproducible). */
  now?: Date;
}

export function generateDemoData(options: DemoOptions = {}): DemoData {
  const {
    seed = 20240601,
    activeProducts = 300,
    draftProducts = 8,
    archivedProducts = 5,
    customers = 5,
    makeId = (p: string) => newId(p),
    now = new Date("2024-06-01T00:00:00Z"),
  } = options;
  const rng = new Rng(seed);
  // Draws for fields added later come from their own stream, so the catalogue (names, SKUs, prices, stock) stays what it was.
  const extra = new Rng(seed ^ 0x9e3779b9);
  const data: DemoData = { categories: [], brands: [], products: [], variants: [], discounts: [], stock: [], users: [] };

  // Categories and brands first: products pick a leaf category and a brand of the same top-level category.
  const leaves: { top: TopCategorySpec; sub: SubcategorySpec; id: string; brands: DemoBrand[] }[] = [];
  CATALOGUE.forEach((top, i) => {
    const topId = makeId("cat");
    data.categories.push({ id: topId, parentId: null, slug: top.slug, name: top.name, path: top.slug, position: i });
    const brands = top.brands.map((name) => ({ id: makeId("brd"), slug: slugify(name), name }));
    data.brands.push(...brands);
    top.subcategories.forEach((sub, j) => {
      const id = makeId("cat");
      data.categories.push({ id, parentId: topId, slug: sub.slug, name: sub.name, path: `${top.slug}/${sub.slug}`, position: j });
      leaves.push({ top, sub, id, brands });
    });
  });

  // Statuses are shuffled so drafts and archived products are spread over the catalogue, not bunched at the end.
  const statuses = rng.shuffle<ProductStatus>([
    ...Array<ProductStatus>(activeProducts).fill("active"),
    ...Array<ProductStatus>(draftProducts).fill("draft"),
    ...Array<ProductStatus>(archivedProducts).fill("archived"),
  ]);
  const slugs = new Set<string>();
  statuses.forEach((status, i) => {
    const leaf = rng.pick(leaves);
    const brand = rng.pick(leaf.brands);
    const number = String(i + 1).padStart(4, "0");
    const name = productName(rng, leaf.sub);
    const productId = makeId("prd");
    const onSale = rng.chance(0.2);

    const tags = new Set([leaf.top.slug, leaf.sub.slug, ...rng.sample(leaf.sub.tags, rng.int(1, 2))]);
    if (onSale) tags.add("sale");
    if (rng.chance(0.1)) tags.add("new-arrival");

    const [f1, f2] = rng.sample(leaf.sub.features, 2);
    data.products.push({
      id: productId,
      slug: uniqueSlug(slugs, `${brand.slug}-${slugify(name)}`),
      name,
      description: `${name} from ${brand.name}: ${f1} and ${f2}. ${rng.pick(leaf.top.closers)}`,
      brandId: brand.id,
      categoryId: leaf.id,
      status,
      tags: [...tags],
    });

    const base = {
      price: rng.int(...leaf.sub.price),
      ending: rng.pick([99, 99, 99, 95, 49, 0]),
      weight: rng.int(...leaf.sub.weight),
      markup: 1.15 + rng.next() * 0.35,
    };
    const box = boxFor(extra, base.weight);
    for (const combo of variantCombos(rng, leaf.sub)) {
      const factor = combo.reduce((f, o) => f * (o.value.factor ?? 1), 1);
      const priceMinor = toPriceMinor(base.price * factor, base.ending);
      const sku = [leaf.top.code, leaf.sub.code, number, ...combo.map((o) => o.value.code)].join("-");
      data.variants.push({
        id: makeId("var"),
        productId,
        sku,
        options: Object.fromEntries(combo.map((o) => [o.name, o.value.label])),
        priceMinor,
        compareAtMinor: onSale ? Math.max(toPriceMinor((priceMinor / 100) * base.markup, 99), priceMinor + 100) : null,
        currency: DEMO_CURRENCY,
        weightGrams: Math.round(base.weight * factor),
        ...scaleBox(box, factor),
      });
      data.stock.push(stockFor(rng, sku, status));
    }
  });

  data.discounts.push(...demoDiscounts(extra, data, makeId, now));

  data.users.push(...STAFF.map((s) => ({ id: makeId("usr"), email: s.email, name: s.name, role: s.role, emailVerified: true })));
  // Distinct first and last names, so no two customers look like relatives or typos of each other.
  const firsts = rng.shuffle(FIRST_NAMES);
  const lasts = rng.shuffle(LAST_NAMES);
  for (let i = 0; i < Math.min(customers, firsts.length, lasts.length); i++) {
    const name = `${firsts[i]} ${lasts[i]}`;
    const email = `${slugify(firsts[i]!)}.${slugify(lasts[i]!).replaceAll("-", "")}@example.com`;
    // The last customer is left unverified so the email-verification flow has someone to try it on.
    data.users.push({ id: makeId("usr"), email, name, role: "customer", emailVerified: i < customers - 1 });
  }
  return data;
}

/** A name from one of the subcategory's templates. Repeats across brands are fine; the slug adds the brand. */
function productName(rng: Rng, sub: SubcategorySpec): string {
  return rng
    .pick(sub.patterns)
    .replace(/\{([anm])\}/g, (_, key: string) => rng.pick(key === "a" ? sub.adjectives : key === "n" ? sub.nouns : (sub.modifiers ?? [""])))
    .trim();
}

type Choice = { name: string; value: OptionValue };

/**
 * 1-4 option combinations. The first dimension (size, volume, pack ...) takes a
 * contiguous run of values, as real ranges do (S-M-L rather than S and XL);
 * the others usually stay at one value, and sometimes two when there are 4 variants.
 */
function variantCombos(rng: Rng, sub: SubcategorySpec): Choice[][] {
  const [primary, ...rest] = sub.options;
  if (!primary) return [[]];
  const wanted = rng.weighted([1, 2, 3, 4], [30, 25, 25, 20]);
  const splitSecondary = wanted === 4 && rest.length > 0 && rng.chance(0.35);
  const primaryCount = Math.min(splitSecondary ? 2 : wanted, primary.values.length);
  const start = rng.int(0, primary.values.length - primaryCount);
  const primaryValues = primary.values.slice(start, start + primaryCount);
  const restValues = rest.map((dim, k) => ({ name: dim.name, values: rng.sample(dim.values, k === 0 && splitSecondary ? 2 : 1) }));

  let combos: Choice[][] = primaryValues.map((value) => [{ name: primary.name, value }]);
  for (const dim of restValues) combos = combos.flatMap((c) => dim.values.map((value) => [...c, { name: dim.name, value }]));
  return combos;
}

type Box = { lengthMm: number; widthMm: number; heightMm: number };

/** A product's parcel in millimetres, roughly fitting its weight. */
function boxFor(rng: Rng, grams: number): Box {
  const side = Math.cbrt(Math.max(grams, 10)) * 14;
  const mm = (lo: number, hi: number) => side * (lo + rng.next() * (hi - lo));
  return { lengthMm: mm(1.2, 2.0), widthMm: mm(0.8, 1.3), heightMm: mm(0.25, 0.8) };
}

/** A variant's parcel: the product's, grown with the variant's weight factor (larger sizes, bigger packs). */
function scaleBox(box: Box, factor: number): Box {
  const k = Math.cbrt(factor);
  const mm = (x: number) => Math.max(10, Math.round(x * k));
  return { lengthMm: mm(box.lengthMm), widthMm: mm(box.widthMm), heightMm: mm(box.heightMm) };
}

/**
 * A running category sale, a fixed amount off one product, and a sitewide
 * sale that starts in a week, so listings show discounted and compare-at
 * prices and the price index has a future window to switch to.
 */
function demoDiscounts(rng: Rng, data: DemoData, makeId: (prefix: string) => string, now: Date): DemoDiscount[] {
  const day = 86_400_000;
  const at = (days: number) => new Date(now.getTime() + days * day);
  const tops = data.categories.filter((c) => c.parentId === null);
  const active = data.products.filter((p) => p.status === "active");
  if (tops.length === 0 || active.length === 0) return [];
  const top = rng.pick(tops);
  const product = rng.pick(active);
  const none = { percentBp: null, amountMinor: null, currency: null, productId: null, categoryId: null };
  return [
    {
      ...none,
      id: makeId("dsc"),
      name: `${top.name} week`,
      kind: "percentage",
      percentBp: 1500,
      scope: "category",
      categoryId: top.id,
      startsAt: at(-2),
      endsAt: at(5),
    },
    {
      ...none,
      id: makeId("dsc"),
      name: "Five off",
      kind: "fixed",
      amountMinor: 500,
      currency: DEMO_CURRENCY,
      scope: "product",
      productId: product.id,
      startsAt: at(-1),
      endsAt: null,
    },
    {
      ...none,
      id: makeId("dsc"),
      name: "Sitewide weekend",
      kind: "percentage",
      percentBp: 1000,
      scope: "all",
      startsAt: at(7),
      endsAt: at(9),
    },
  ];
}

/** Retail-looking prices: $24.99, $119.95, $40.00. */
function toPriceMinor(dollars: number, ending: number): number {
  const whole = Math.max(1, Math.round(dollars));
  return ending === 0 ? whole * 100 : whole * 100 - (100 - ending);
}

/**
 * Mostly 5-200 units, ~8% sold out and ~10% under the low-stock threshold, so
 * listings, facets and alerts all have something to show. Nothing is reserved:
 * reservations only come from real checkouts.
 */
function stockFor(rng: Rng, sku: string, status: ProductStatus): DemoStock {
  const r = rng.next();
  const onHand = status === "archived" || r < 0.08 ? 0 : r < 0.18 ? rng.int(1, LOW_STOCK_THRESHOLD - 1) : rng.int(LOW_STOCK_THRESHOLD, 200);
  return { sku, onHand, reserved: 0, available: onHand, lowStockThreshold: LOW_STOCK_THRESHOLD };
}

export function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function uniqueSlug(taken: Set<string>, slug: string): string {
  let candidate = slug;
  for (let n = 2; taken.has(candidate); n++) candidate = `${slug}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for demo data and free of dependencies. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let r = this.next() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }
  /** Fisher-Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  /** `count` distinct items, kept in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set(this.shuffle(items.map((_, i) => i)).slice(0, count));
    return items.filter((_, i) => chosen.has(i));
  }
}
