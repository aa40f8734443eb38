/**
 * The demo catalogue: a category tree, brands, products with variants and
 * stock, and a few user accounts, built from the word lists in catalogue.ts.
 *
 * Deterministic: the same seed gives the same catalogue (names, SKUs, prices,
 * stock), so screenshots, bug reports and benchmarks line up across machines.
 * Only the ids come from `makeId`, which defaults to the kernel's time-ordered
 * `newId`; pass a counter for fully reproducible output. Nothing here touches
 * a database or the clock, so it runs anywhere (Node, Workers, tests).
 */
import { newId } from "../../workers/platform/ids.ts";
import { CATALOGUE } from "./catalogue.ts";
import type { OptionValue, SubcategorySpec, TopCategorySpec } from "./catalogue-spec.ts";
import { DEMO_CURRENCY, type DemoBrand, type DemoData, type ProductStatus } from "./demo-types.ts";
import { demoDiscounts } from "./discounts.ts";
import { boxFor, scaleBox } from "./parcels.ts";
import { FIRST_NAMES, LAST_NAMES, STAFF } from "./people.ts";
import { toPriceMinor } from "./prices.ts";
import { Rng } from "./rng.ts";
import { slugify, uniqueSlug } from "./slugs.ts";
import { stockFor } from "./stock.ts";

export type { DemoData } from "./demo-types.ts";

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
