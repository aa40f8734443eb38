/** GET /api/products: every filter, every sort, and the edges of keyset pagination. Each test lists inside its own category or tag. */
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { applyRatingSummary } from "./ratings.ts";
import { json, type ListBody, newBrand, newCategory, newProduct, type Problem, setStock, uid } from "./test-fixtures.ts";

/** Anonymous by default, as shoppers are; `admin` lists with the operations token. */
const list = async (query: string, as: "public" | "admin" = "public") =>
  json<ListBody>(await api(`/api/products?${query}`, as === "admin" ? {} : { token: null }), 200);
const names = (body: ListBody) => body.items.map((i) => i.name);

/** Every page of a listing, following nextCursor. */
async function walk(query: string, limit: number): Promise<{ pages: ListBody[]; names: string[] }> {
  const pages: ListBody[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return { pages, names: pages.flatMap(names) };
}

describe("filters", () => {
  it("filters by category including subcategories, by id or path", async () => {
    const root = await newCategory();
    const child = await newCategory(`Child ${uid()}`, root.id);
    const other = await newCategory();
    await newProduct({ name: "In root", categoryId: root.id });
    await newProduct({ name: "In child", categoryId: child.id });
    await newProduct({ name: "Elsewhere", categoryId: other.id });
    expect(names(await list(`category=${root.id}`)).sort()).toEqual(["In child", "In root"]);
    expect(names(await list(`category=${encodeURIComponent(child.path)}`))).toEqual(["In child"]);
    expect(names(await list(`category=no-such-category-${uid()}`))).toEqual([]);
  });

  it("filters by brand (id or slug) and tag, and shows only active products", async () => {
    const category = await newCategory();
    const brand = await newBrand();
    const tag = `t-${uid()}`;
    await newProduct({ name: "Branded tagged", categoryId: category.id, brandId: brand.id, tags: [tag] });
    await newProduct({ name: "Branded", categoryId: category.id, brandId: brand.id });
    await newProduct({ name: "Tagged draft", categoryId: category.id, tags: [tag], status: "draft" });
    await newProduct({ name: "Tagged archived", categoryId: category.id, tags: [tag], status: "archived" });
    expect(names(await list(`category=${category.id}&brand=${brand.slug}`)).sort()).toEqual(["Branded", "Branded tagged"]);
    expect(names(await list(`brand=${brand.id}&tag=${tag}`))).toEqual(["Branded tagged"]);
    expect(names(await list(`tag=${tag}`))).toEqual(["Branded tagged"]);
    expect(names(await list(`tag=${tag}&status=archived`, "admin"))).toEqual(["Tagged archived"]);
  });

  it("filters on the cheapest variant's price, bounds included", async () => {
    const category = await newCategory();
    await newProduct({ name: "Cheap", categoryId: category.id, variants: [{ priceMinor: 999 }] });
    await newProduct({ name: "Middle", categoryId: category.id, variants: [{ priceMinor: 5000 }, { priceMinor: 100_00 }] });
    await newProduct({ name: "Dear", categoryId: category.id, variants: [{ priceMinor: 20_000 }] });
    expect(names(await list(`category=${category.id}&minPrice=999&maxPrice=5000&sort=price_asc`))).toEqual(["Cheap", "Middle"]);
    expect(names(await list(`category=${category.id}&minPrice=1000&sort=price_asc`))).toEqual(["Middle", "Dear"]);
    expect(names(await list(`category=${category.id}&maxPrice=998`))).toEqual([]);
  });

  it("filters on stock through the inventory projection", async () => {
    const category = await newCategory();
    const stocked = await newProduct({ name: "Stocked", categoryId: category.id, variants: [{ priceMinor: 1 }, { priceMinor: 2 }] });
    const soldOut = await newProduct({ name: "Sold out", categoryId: category.id });
    await newProduct({ name: "Never stocked", categoryId: category.id });
    await setStock(stocked.variants[1]!.sku, 3);
    await setStock(soldOut.variants[0]!.sku, 0);
    const inStock = await list(`category=${category.id}&inStock=true`);
    expect(names(inStock)).toEqual(["Stocked"]);
    expect(inStock.items[0]!.inStock).toBe(true);
    const all = await list(`category=${category.id}&inStock=false`);
    expect(all.items.map((i) => [i.name, i.inStock]).sort()).toEqual([
      ["Never stocked", false],
      ["Sold out", false],
      ["Stocked", true],
    ]);
  });
});

describe("sorting", () => {
  it("sorts by newest, by price either way, and by rating", async () => {
    const category = await newCategory();
    const a = await newProduct({ name: "A", categoryId: category.id, variants: [{ priceMinor: 300 }] });
    const b = await newProduct({ name: "B", categoryId: category.id, variants: [{ priceMinor: 100 }, { priceMinor: 900 }] });
    const c = await newProduct({ name: "C", categoryId: category.id, variants: [{ priceMinor: 200 }] });
    await withTestDb(async (db) => {
      await applyRatingSummary(db, a.id, { average: 4.5, count: 10 });
      await applyRatingSummary(db, b.id, { average: 4.5, count: 30 });
      await applyRatingSummary(db, c.id, { average: 3.987, count: 2 });
    });
    const q = `category=${category.id}`;
    expect(names(await list(q))).toEqual(["C", "B", "A"]);
    expect(names(await list(`${q}&sort=newest`))).toEqual(["C", "B", "A"]);
    expect(names(await list(`${q}&sort=price_asc`))).toEqual(["B", "C", "A"]);
    expect(names(await list(`${q}&sort=price_desc`))).toEqual(["A", "C", "B"]);
    const byRating = await list(`${q}&sort=rating`);
    expect(names(byRating)).toEqual(["B", "A", "C"]);
    expect(byRating.items[2]!.rating).toEqual({ average: 3.99, count: 2 });
  });
});

describe("pagination", () => {
  it("walks every product exactly once in order, in every sort, with pages of any size", async () => {
    const category = await newCategory();
    const prices = [500, 100, 300, 300, 300, 200, 400];
    for (const [i, price] of prices.entries())
      await newProduct({ name: `P${i}`, categoryId: category.id, variants: [{ priceMinor: price }] });
    for (const sort of ["newest", "price_asc", "price_desc", "rating"]) {
      const whole = await list(`category=${category.id}&sort=${sort}&limit=100`);
      expect(whole.items).toHaveLength(prices.length);
      expect(whole.nextCursor).toBeNull();
      for (const limit of [1, 2, 3, 7]) {
        const walked = await walk(`category=${category.id}&sort=${sort}`, limit);
        expect(walked.names, `${sort} by ${limit}`).toEqual(names(whole));
        // A page that ends exactly at the last product says there is no next page.
        expect(walked.pages.at(-1)!.items.length).toBe(prices.length % limit || limit);
        expect(walked.pages.length).toBe(Math.ceil(prices.length / limit));
      }
    }
    const ascending = await list(`category=${category.id}&sort=price_asc&limit=100`);
    expect(ascending.items.map((i) => i.price!.fromMinor)).toEqual([...prices].sort((x, y) => x - y));
  });

  it("caps the page size and refuses cursors it did not make or made for another sort", async () => {
    const tooBig = await json<Problem>(await api("/api/products?limit=101", { token: null }), 422);
    expect(tooBig.errors!.map((e) => e.field)).toEqual(["query.limit"]);
    expect((await api("/api/products?limit=0", { token: null })).status).toBe(422);
    const forged = await json<Problem>(await api("/api/products?cursor=bm9wZQ", { token: null }), 422);
    expect(forged.errors![0]!.field).toBe("query.cursor");

    const category = await newCategory();
    await newProduct({ categoryId: category.id });
    await newProduct({ categoryId: category.id });
    const first = await list(`category=${category.id}&limit=1&sort=price_asc`);
    expect(first.nextCursor).not.toBeNull();
    const mixed = await json<Problem>(
      await api(`/api/products?category=${category.id}&limit=1&sort=newest&cursor=${first.nextCursor}`, { token: null }),
      422,
    );
    expect(mixed.errors![0]!.message).toContain("sort order");
  });
});
