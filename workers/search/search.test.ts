/**
 * Search over HTTP on a fixed fixture indexed through the search consumer:
 * relevance (exact match first, typos, accents), highlights, facet counts
 * against direct counts, pagination, suggestions and validation.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import type { AppEnv } from "../platform/context.ts";
import { PRICE_BOUNDS_MINOR } from "./domain.ts";
import { applyRating } from "./indexer.ts";
import { searchRoutes } from "./routes.ts";
import { created, deliver, randomWord, search, snapshot, stockEvent } from "./test-fixtures.ts";

const T = randomWord();
const Cap = T[0]!.toUpperCase() + T.slice(1);
const acme = { slug: `${T}-acme`, name: `${Cap} Acme` };
const bolt = { slug: `${T}-bolt`, name: `Bolt ${Cap}` };
const home = { slug: `${T}-home`, name: "Home", path: `${T}-home` };
const kitchen = { slug: "kitchen", name: "Kitchen", path: `${T}-home/kitchen` };
const coffee = { slug: "coffee", name: "Coffee", path: `${T}-home/kitchen/coffee` };
const audio = { slug: "audio", name: `${Cap} Audio`, path: `${T}-audio` };

const relevance = {
  exact: snapshot({ name: "Espresso Machine", description: "Brews rich coffee at home.", brand: acme, category: coffee, prices: [34900] }),
  inName: snapshot({
    name: "Espresso Machine Descaler",
    description: "Keeps the boiler clean.",
    brand: acme,
    category: coffee,
    prices: [1299],
  }),
  inDescription: snapshot({
    name: "Milk Frother",
    description: "Pairs well with any espresso machine.",
    brand: acme,
    category: kitchen,
    prices: [4599],
  }),
  headphones: snapshot({
    name: "Aurora Wireless Headphones",
    description: "Noise cancelling over-ear headphones.",
    brand: acme,
    category: audio,
    prices: [19900, 21900],
  }),
  accented: snapshot({
    name: "Crème Brûlée Torch",
    description: "Caramelises sugar in seconds.",
    brand: acme,
    category: kitchen,
    prices: [2999],
  }),
  cafe: snapshot({ name: "Cafe Table", description: "A round bistro table.", brand: acme, category: home, prices: [15900] }),
  unsafe: snapshot({
    name: "Kettle <img src=x onerror=alert(1)> & Co",
    description: "<script>alert(1)</script> A kettle & a whistle.",
    brand: acme,
    category: kitchen,
    prices: [3900],
  }),
  draft: snapshot({ name: "Espresso Machine Prototype", status: "draft", brand: acme, category: coffee }),
  archived: snapshot({ name: "Espresso Machine Classic", status: "archived", brand: acme, category: coffee }),
};
const facetOnly = [
  snapshot({ name: `${Cap} Soundbar`, description: "Cinema sound.", brand: bolt, category: audio, prices: [59900] }),
  snapshot({ name: `Burr Grinder ${Cap}zo`, description: "Grinds beans.", brand: bolt, category: coffee, prices: [8900] }),
  snapshot({ name: "Kettle Pro", description: "Fast boil.", brand: bolt, category: kitchen, prices: [2400] }),
  snapshot({ name: "Toaster", description: "Four slots.", brand: bolt, category: kitchen, prices: [5000] }),
];
const all = [...Object.values(relevance), ...facetOnly];
const names = (r: { items: { name: string }[] }) => r.items.map((i) => i.name);

beforeAll(async () => {
  const result = await deliver(all.map(created));
  expect(result).toEqual({ acked: all.length, retried: 0 });
  // Stock for some of them (first SKU), ratings for some (the review family's figures, through the indexer's seam).
  const stocked = [relevance.exact, relevance.headphones, relevance.cafe, facetOnly[0]!, facetOnly[2]!];
  expect((await deliver(stocked.map((p) => stockEvent(p.variants[0]!.sku, 7, 1)))).acked).toBe(stocked.length);
  await withTestDb(async (db) => {
    const ratings: [number, number][] = [
      [4.6, 12],
      [3.2, 4],
      [1.5, 2],
      [4.0, 9],
    ];
    for (const [i, [average, count]] of ratings.entries())
      await applyRating(db, { productId: all[i]!.productId, average, count, version: 1 });
  });
});

describe("relevance", () => {
  it("ranks the exact name first, then name matches, then description matches, and hides inactive products", async () => {
    const r = await search({ q: "espresso machine", brand: acme.slug });
    expect(names(r)).toEqual(["Espresso Machine", "Espresso Machine Descaler", "Milk Frother"]);
    expect(r.total).toBe(3);
    expect(r.correctedQuery).toBeNull();
    expect(r.items[0]!.score).toBeGreaterThan(r.items[1]!.score);
    expect(r.items[0]!.highlights.name).toBe("<mark>Espresso</mark> <mark>Machine</mark>");
    expect(r.items[2]!.highlights.description).toContain("<mark>espresso</mark> <mark>machine</mark>");
  });

  it("still finds a product when a word has a one-letter typo, and says what it searched for", async () => {
    const dropped = await search({ q: "headphnes", brand: acme.slug });
    expect(names(dropped)).toEqual(["Aurora Wireless Headphones"]);
    expect(dropped.correctedQuery).toBe("headphones");

    const twoWords = await search({ q: "wirelss headphones", brand: acme.slug });
    expect(names(twoWords)).toEqual(["Aurora Wireless Headphones"]);
    expect(twoWords.correctedQuery).toBe("wireless headphones");

    const exactAfterFix = await search({ q: "espreso machine", brand: acme.slug });
    expect(names(exactAfterFix)[0]).toBe("Espresso Machine");
  });

  it("ignores accents both ways and highlights the accented original", async () => {
    const plain = await search({ q: "creme brulee", brand: acme.slug });
    expect(names(plain)).toEqual(["Crème Brûlée Torch"]);
    expect(plain.items[0]!.highlights.name).toBe("<mark>Crème</mark> <mark>Brûlée</mark> Torch");
    const accented = await search({ q: "Café", brand: acme.slug });
    expect(names(accented)).toEqual(["Cafe Table"]);
  });

  it("matches brand and category names too", async () => {
    const byCategory = await search({ q: `${T} audio` });
    expect(names(byCategory).sort()).toEqual(["Aurora Wireless Headphones", `${Cap} Soundbar`]);
  });

  it("escapes product text in highlights", async () => {
    const r = await search({ q: "kettle", brand: acme.slug });
    expect(names(r)).toEqual([relevance.unsafe.name]);
    expect(r.items[0]!.highlights.name).toBe("<mark>Kettle</mark> &lt;img src=x onerror=alert(1)&gt; &amp; Co");
    const snippet = r.items[0]!.highlights.description!;
    expect(snippet).toContain("<mark>kettle</mark> &amp; a whistle");
    expect(snippet).not.toContain("<script>");
  });

  it("finds nothing for words no product has", async () => {
    const r = await search({ q: `${randomWord()} ${randomWord()}` });
    expect(r).toMatchObject({ total: 0, items: [], nextPage: null });
  });
});

/** The direct count the facets must agree with: active products matching the query word `T`, under `conditions`. */
async function direct(select: SQL, conditions: SQL[], groupBy?: SQL): Promise<Record<string, unknown>[]> {
  return withTestDb(async (db) => {
    const where = sql.join([sql`status = 'active'`, sql`document @@ plainto_tsquery('english', ${T})`, ...conditions], sql` and `);
    const r = await db.execute(sql`select ${select} from search.documents where ${where} ${groupBy ? sql`group by ${groupBy}` : sql``}`);
    return r.rows;
  });
}

describe("facets", () => {
  const filters = {
    brand: sql`brand_slug = ${bolt.slug}`,
    category: sql`(category_path = ${home.path} or category_path like ${home.path + "/%"})`,
    price: sql`price_min_minor between 2000 and 60000`,
    inStock: sql`in_stock`,
  };
  const except = (name: keyof typeof filters) =>
    Object.entries(filters)
      .filter(([k]) => k !== name)
      .map(([, v]) => v);

  it("counts each facet under every other filter but not its own, as a direct count does", async () => {
    const r = await search({ q: T, brand: bolt.slug, category: home.path, minPrice: 2000, maxPrice: 60000, inStock: true, limit: 50 });
    const [total] = await direct(sql`count(*)::int as n`, Object.values(filters));
    expect(r.total).toBe(total!.n);
    expect(r.total).toBe(1); // Kettle Pro: Bolt, kitchen (under home), 24.00, in stock
    expect(names(r)).toEqual(["Kettle Pro"]);

    const brands = await direct(sql`brand_slug as value, count(*)::int as count`, except("brand"), sql`brand_slug`);
    expect(r.facets.brand.map(({ value, count }) => ({ value, count })).sort((a, b) => a.value.localeCompare(b.value))).toEqual(
      brands.sort((a, b) => String(a.value).localeCompare(String(b.value))),
    );
    expect(r.facets.brand.find((b) => b.value === acme.slug)?.count).toBeGreaterThan(0);

    const categories = await direct(sql`category_path as value, count(*)::int as count`, except("category"), sql`category_path`);
    expect(Object.fromEntries(r.facets.category.map((c) => [c.value, c.count]))).toEqual(
      Object.fromEntries(categories.map((c) => [c.value, c.count])),
    );

    const stock = await direct(sql`in_stock as value, count(*)::int as count`, except("inStock"), sql`in_stock`);
    for (const { value, count } of r.facets.inStock) expect(count).toBe(stock.find((s) => s.value === value)?.count ?? 0);

    const prices = (await direct(sql`price_min_minor as p`, except("price"))).map((row) => Number(row.p));
    const edges = [0, ...PRICE_BOUNDS_MINOR];
    expect(r.facets.price).toHaveLength(edges.length);
    for (const bucket of r.facets.price) {
      expect(bucket.count).toBe(prices.filter((p) => p >= bucket.fromMinor && (bucket.toMinor === null || p < bucket.toMinor)).length);
    }
  });

  it("counts ratings cumulatively (n stars and up) and filters on them", async () => {
    const r = await search({ q: T, limit: 50 });
    for (const { minRating, count } of r.facets.rating) {
      const [row] = await direct(sql`count(*)::int as n`, [sql`rating_average >= ${minRating}`]);
      expect(count).toBe(row!.n);
    }
    expect(r.facets.rating.find((b) => b.minRating === 4)!.count).toBe(2);
    const rated = await search({ q: T, minRating: 4 });
    expect(rated.total).toBe(2);
    expect(rated.facets.rating.find((b) => b.minRating === 1)!.count).toBe(4);
  });

  it("includes subcategories in a category filter", async () => {
    const r = await search({ q: T, category: kitchen.path, limit: 50 });
    const paths = new Set(r.items.map((i) => i.category!.path));
    expect(paths).toEqual(new Set([kitchen.path, coffee.path]));
  });

  it("accepts several values of one facet as alternatives", async () => {
    const one = await search({ q: T, brand: acme.slug });
    const both = await search({ q: T, brand: `${acme.slug},${bolt.slug}` });
    const other = await search({ q: T, brand: bolt.slug });
    expect(both.total).toBe(one.total + other.total);
  });
});

describe("pagination and sorting", () => {
  it("walks every page exactly once, in price order", async () => {
    const seen: string[] = [];
    const prices: number[] = [];
    let page: number | null = 1;
    let total = 0;
    while (page !== null) {
      const r = await search({ q: T, sort: "price_asc", limit: 3, page });
      total = r.total;
      seen.push(...r.items.map((i) => i.productId));
      prices.push(...r.items.map((i) => i.price!.minMinor));
      expect(r.items.length).toBeLessThanOrEqual(3);
      page = r.nextPage;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    expect(total).toBe(all.filter((p) => p.status === "active").length);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it("sorts by rating and by newest", async () => {
    const byRating = await search({ q: T, sort: "rating", limit: 2 });
    expect(byRating.items.map((i) => i.rating.average)).toEqual([4.6, 4]);
    const newest = await search({ q: T, sort: "newest", limit: 50 });
    expect(newest.items).toHaveLength(newest.total);
  });
});

describe("suggestions", () => {
  const suggest = async (q: string) => {
    const res = await api(`/api/search/suggest?q=${encodeURIComponent(q)}`, { token: null });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      products: { name: string }[];
      brands: { slug: string; count: number }[];
      categories: { path: string; count: number }[];
    };
  };

  it("completes product names, brands and categories from a prefix", async () => {
    const s = await suggest(T.slice(0, 5));
    expect(s.products.map((p) => p.name)).toContain(`${Cap} Soundbar`);
    expect(s.brands).toContainEqual({
      slug: acme.slug,
      name: acme.name,
      count: Object.values(relevance).filter((p) => p.status === "active").length,
    });
    expect(s.categories.map((c) => c.path)).toContain(audio.path);
  });

  it("completes a later word of a name, and tolerates a typo", async () => {
    expect((await suggest(`${T} sound`)).products.map((p) => p.name)).toContain(`${Cap} Soundbar`);
    expect((await suggest(`${T}z`)).products.map((p) => p.name)).toContain(`Burr Grinder ${Cap}zo`);
    const typo = T.slice(0, -1) + (T.endsWith("a") ? "e" : "a");
    expect((await suggest(typo)).products.map((p) => p.name)).toContain(`${Cap} Soundbar`);
  });

  it("needs two characters", async () => {
    expect((await api("/api/search/suggest?q=a", { token: null })).status).toBe(422);
  });
});

describe("validation", () => {
  it("names each invalid parameter", async () => {
    const res = await api(`/api/search?q=x&limit=51&page=0&sort=cheapest&category=Not%20A%20Path&inStock=maybe`, { token: null });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual([
      "query.category.0",
      "query.inStock",
      "query.limit",
      "query.page",
      "query.sort",
    ]);
  });

  it("refuses a price range that ends before it starts", async () => {
    const res = await api("/api/search?q=kettle&minPrice=500&maxPrice=100", { token: null });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe("query.maxPrice");
  });

  it("is in the OpenAPI document, mounted as the gateway mounts it", () => {
    const app = new OpenAPIHono<AppEnv>().route("/api/search", searchRoutes);
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "search", version: "1" } });
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
      "/api/search",
      "/api/search/merchandising",
      "/api/search/merchandising/{id}",
      "/api/search/reindex",
      "/api/search/reports/zero-results",
      "/api/search/stop-words",
      "/api/search/stop-words/{lang}/{word}",
      "/api/search/suggest",
      "/api/search/synonyms",
      "/api/search/synonyms/{id}",
    ]);
    const params = (doc.paths!["/api/search"]!.get!.parameters ?? []) as { name: string }[];
    expect(params.map((p) => p.name)).toEqual(
      expect.arrayContaining(["q", "category", "brand", "minPrice", "maxPrice", "minRating", "inStock", "lang", "sort", "page", "limit"]),
    );
  });
});
