/** Discounts through the API: scopes, windows, what detail and listing show, and the price index that listings sort on. */
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { quoteSkus } from "./quotes.ts";
import { json, type ListBody, newCategory, newProduct, type Problem, type ProductBody, patchProduct, uid } from "./test-fixtures.ts";

type Discount = { id: string; version: number; scope: string; startsAt: string; endsAt: string | null };

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const createDiscount = async (body: Record<string, unknown>) =>
  json<Discount>(await api("/api/products/discounts", { method: "POST", json: { name: `Sale ${uid()}`, ...body } }), 201);
const detail = async (id: string, as: "public" | "admin" = "public") =>
  json<ProductBody>(await api(`/api/products/${id}`, as === "admin" ? {} : { token: null }), 200);
const listing = async (query: string) => json<ListBody>(await api(`/api/products?${query}`, { token: null }), 200);

describe("discounts in prices", () => {
  it("applies a category discount to the subtree, in detail and listing, with the base price as compare-at", async () => {
    const root = await newCategory();
    const child = await newCategory(`Child ${uid()}`, root.id);
    const outside = await newCategory();
    const inChild = await newProduct({ name: "Covered", categoryId: child.id, variants: [{ priceMinor: 10_000 }, { priceMinor: 20_000 }] });
    const notCovered = await newProduct({ name: "Not covered", categoryId: outside.id, variants: [{ priceMinor: 10_000 }] });
    const discount = await createDiscount({
      kind: "percentage",
      percentBp: 2500,
      scope: "category",
      categoryId: root.id,
      startsAt: inMinutes(-1),
    });

    const covered = await detail(inChild.id);
    expect(covered.variants.map((v) => [v.price.unitPriceMinor, v.price.compareAtMinor, v.price.discount?.id])).toEqual([
      [7500, 10_000, discount.id],
      [15_000, 20_000, discount.id],
    ]);
    expect(covered.price).toEqual({ currency: "USD", fromMinor: 7500, toMinor: 15_000, compareAtMinor: 10_000, discounted: true });
    expect((await detail(notCovered.id)).price!.discounted).toBe(false);

    const listed = await listing(`category=${root.id}`);
    expect(listed.items[0]!.price).toEqual(covered.price);
    // The listing filters on the discounted price, not the base price.
    expect((await listing(`category=${root.id}&maxPrice=7500`)).items.map((i) => i.id)).toEqual([inChild.id]);
    expect((await listing(`category=${root.id}&minPrice=7501`)).items).toEqual([]);
  });

  it("does not apply a discount before it starts or after it ends, and the best one wins", async () => {
    const product = await newProduct({ variants: [{ priceMinor: 10_000 }] });
    await createDiscount({
      kind: "fixed",
      amountMinor: 500,
      currency: "USD",
      scope: "product",
      productId: product.id,
      startsAt: inMinutes(60),
    });
    await createDiscount({
      kind: "fixed",
      amountMinor: 900,
      currency: "USD",
      scope: "product",
      productId: product.id,
      startsAt: inMinutes(-60),
      endsAt: inMinutes(-1),
    });
    expect((await detail(product.id)).price!.fromMinor).toBe(10_000);
    const small = await createDiscount({
      kind: "fixed",
      amountMinor: 300,
      currency: "USD",
      scope: "product",
      productId: product.id,
      startsAt: inMinutes(-1),
    });
    expect((await detail(product.id)).variants[0]!.price.discount!.id).toBe(small.id);
    const big = await createDiscount({ kind: "percentage", percentBp: 1000, scope: "all", startsAt: inMinutes(-1), endsAt: inMinutes(5) });
    try {
      const priced = await detail(product.id);
      expect(priced.variants[0]!.price).toMatchObject({ unitPriceMinor: 9000, discount: { id: big.id } });
    } finally {
      // Everything is discounted now; remove the global discount again so other tests' prices are their own.
      expect(
        (await api(`/api/products/discounts/${big.id}`, { method: "DELETE", headers: { "if-match": `"v${big.version}"` } })).status,
      ).toBe(204);
    }
    expect((await detail(product.id)).price!.fromMinor).toBe(9700);
  });

  it("re-sorts a listing when a discount changes a product's price", async () => {
    const category = await newCategory();
    const a = await newProduct({ name: "A", categoryId: category.id, variants: [{ priceMinor: 1000 }] });
    await newProduct({ name: "B", categoryId: category.id, variants: [{ priceMinor: 800 }] });
    expect((await listing(`category=${category.id}&sort=price_asc`)).items.map((i) => i.name)).toEqual(["B", "A"]);
    const d = await createDiscount({ kind: "percentage", percentBp: 5000, scope: "product", productId: a.id, startsAt: inMinutes(-1) });
    expect((await listing(`category=${category.id}&sort=price_asc`)).items.map((i) => [i.name, i.price!.fromMinor])).toEqual([
      ["A", 500],
      ["B", 800],
    ]);
    const patched = await json<Discount>(
      await api(`/api/products/discounts/${d.id}`, {
        method: "PATCH",
        json: { endsAt: inMinutes(-0.01), startsAt: inMinutes(-2) },
        headers: { "if-match": `"v${d.version}"` },
      }),
      200,
    );
    expect(patched.version).toBe(2);
    expect((await listing(`category=${category.id}&sort=price_asc`)).items.map((i) => i.name)).toEqual(["B", "A"]);
  });

  it("switches listing prices when a discount starts, without any write", async () => {
    const category = await newCategory();
    const product = await newProduct({ categoryId: category.id, variants: [{ priceMinor: 1000 }] });
    const startsAt = new Date(Date.now() + 1500);
    await createDiscount({
      kind: "fixed",
      amountMinor: 400,
      currency: "USD",
      scope: "product",
      productId: product.id,
      startsAt: startsAt.toISOString(),
    });
    const before = await api(`/api/products?category=${category.id}&maxPrice=600`, { token: null });
    expect(((await before.json()) as ListBody).items).toEqual([]);
    // The cached copy may only live until the discount starts.
    expect(Number(/s-maxage=(\d+)/.exec(before.headers.get("cache-control")!)![1])).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, Math.max(0, startsAt.getTime() - Date.now() + 50)));
    const after = await json<ListBody>(await api(`/api/products?category=${category.id}&maxPrice=600`), 200);
    expect(after.items.map((i) => [i.id, i.price!.fromMinor])).toEqual([[product.id, 600]]);
  });

  it("keeps listing and detail in agreement when a discount and a price edit race", async () => {
    const category = await newCategory();
    const product = await newProduct({ categoryId: category.id, variants: [{ priceMinor: 2000 }] });
    const [discount, edit] = await Promise.all([
      api("/api/products/discounts", {
        method: "POST",
        json: { name: "Race", kind: "percentage", percentBp: 5000, scope: "category", categoryId: category.id, startsAt: inMinutes(-1) },
      }),
      patchProduct(product.id, product.version, { variants: [{ sku: product.variants[0]!.sku, priceMinor: 3000, currency: "USD" }] }),
    ]);
    expect([discount.status, edit.status]).toEqual([201, 200]);
    const shown = (await detail(product.id, "admin")).price!.fromMinor;
    expect(shown).toBe(1500);
    expect((await listing(`category=${category.id}&minPrice=${shown}&maxPrice=${shown}`)).items.map((i) => i.id)).toEqual([product.id]);
  });
});

describe("quotes for the cart", () => {
  it("prices SKUs as the catalog shows them, and says which can be sold", async () => {
    const category = await newCategory();
    const active = await newProduct({ categoryId: category.id, variants: [{ priceMinor: 4000, options: { size: "S" } }] });
    const draft = await newProduct({ categoryId: category.id, status: "draft", variants: [{ priceMinor: 100 }] });
    await createDiscount({
      kind: "fixed",
      amountMinor: 1000,
      currency: "USD",
      scope: "category",
      categoryId: category.id,
      startsAt: inMinutes(-1),
    });
    const quotes = await withTestDb((db) => quoteSkus(db, [active.variants[0]!.sku, draft.variants[0]!.sku, "NO-SUCH-SKU"]));
    expect([...quotes.keys()].sort()).toEqual([active.variants[0]!.sku, draft.variants[0]!.sku].sort());
    const quote = quotes.get(active.variants[0]!.sku)!;
    expect(quote).toMatchObject({
      productId: active.id,
      sellable: true,
      options: { size: "S" },
      price: { unitPriceMinor: 3000, compareAtMinor: 4000 },
    });
    expect(quote.price).toEqual((await detail(active.id)).variants[0]!.price);
    expect(quotes.get(draft.variants[0]!.sku)!.sellable).toBe(false);
  });
});

describe("discount administration", () => {
  it("validates kinds, scopes and windows", async () => {
    const product = await newProduct();
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: "fixed", amountMinor: 100, scope: "all" }, "amountMinor"],
      [{ kind: "percentage", percentBp: 10_001, scope: "all" }, "percentBp"],
      [{ kind: "percentage", percentBp: 100, scope: "product" }, "productId"],
      [{ kind: "percentage", percentBp: 100, scope: "all", productId: product.id }, "scope"],
      [{ kind: "percentage", percentBp: 100, scope: "category", categoryId: "cat_00000000000000000000000000" }, "categoryId"],
      [{ kind: "percentage", percentBp: 100, scope: "all", startsAt: inMinutes(10), endsAt: inMinutes(5) }, "endsAt"],
    ];
    for (const [body, field] of cases) {
      const problem = await json<Problem>(await api("/api/products/discounts", { method: "POST", json: { name: "Bad", ...body } }), 422);
      expect(
        problem.errors!.map((e) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
  });

  it("lists by state, and guards changes with If-Match", async () => {
    const product = await newProduct();
    const scheduled = await createDiscount({
      kind: "percentage",
      percentBp: 100,
      scope: "product",
      productId: product.id,
      startsAt: inMinutes(30),
    });
    const page = await json<{ items: Discount[] }>(await api("/api/products/discounts?state=scheduled&limit=100"), 200);
    expect(page.items.map((d) => d.id)).toContain(scheduled.id);
    const active = await json<{ items: Discount[] }>(await api("/api/products/discounts?state=active&limit=100"), 200);
    expect(active.items.map((d) => d.id)).not.toContain(scheduled.id);
    expect((await api(`/api/products/discounts/${scheduled.id}`, { method: "PATCH", json: { name: "x" } })).status).toBe(428);
    expect(
      (await api(`/api/products/discounts/${scheduled.id}`, { method: "PATCH", json: { name: "x" }, headers: { "if-match": '"v7"' } }))
        .status,
    ).toBe(409);
    expect((await api("/api/products/discounts", { token: null })).status).toBe(401);
  });

  it("goes away with the product it is for", async () => {
    const product = await newProduct();
    const d = await createDiscount({ kind: "percentage", percentBp: 100, scope: "product", productId: product.id });
    const fresh = await detail(product.id, "admin");
    expect((await api(`/api/products/${product.id}`, { method: "DELETE", headers: { "if-match": `"v${fresh.version}"` } })).status).toBe(
      204,
    );
    expect((await api(`/api/products/discounts/${d.id}`)).status).toBe(404);
  });
});
