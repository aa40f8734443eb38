/** Admin CRUD of products over HTTP: validation, events through the outbox, optimistic concurrency. */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import {
  eventsAbout,
  json,
  newBrand,
  newCategory,
  newProduct,
  type Problem,
  type ProductBody,
  patchProduct,
  sku,
  uid,
} from "./test-fixtures.ts";

describe("creating products", () => {
  it("creates a product with variants, answers with its ETag and location, and writes ProductCreated", async () => {
    const category = await newCategory();
    const brand = await newBrand();
    const name = `Linen Shirt ${uid()}`;
    const skus = [sku("SHIRT"), sku("SHIRT")];
    const res = await api("/api/products", {
      method: "POST",
      headers: { "x-request-id": `req-create-${uid()}` },
      json: {
        name,
        description: "Breathable.",
        categoryId: category.id,
        brandId: brand.id,
        status: "active",
        tags: ["summer", "linen", "summer"],
        variants: [
          {
            sku: skus[0],
            options: { size: "M" },
            priceMinor: 4999,
            compareAtMinor: 5999,
            currency: "USD",
            weightGrams: 210,
            dimensions: { lengthMm: 300, widthMm: 250, heightMm: 20 },
          },
          { sku: skus[1], options: { size: "L" }, priceMinor: 5499, currency: "USD" },
        ],
      },
    });
    const product = await json<ProductBody & { variants: { weightGrams: number | null; dimensions: unknown }[] }>(res, 201);
    expect(res.headers.get("location")).toBe(`/api/products/${product.id}`);
    expect(res.headers.get("etag")).toMatch(/^"v1-[0-9a-f]{16}"$/);
    expect(product).toMatchObject({
      slug: name.toLowerCase().replaceAll(" ", "-"),
      status: "active",
      version: 1,
      tags: ["summer", "linen"],
      category: { id: category.id },
      brand: { id: brand.id },
    });
    expect(product.variants.map((v) => [v.sku, v.options.size, v.price.unitPriceMinor, v.price.compareAtMinor])).toEqual([
      [skus[0], "M", 4999, 5999],
      [skus[1], "L", 5499, null],
    ]);
    expect(product.variants[0]).toMatchObject({ weightGrams: 210, dimensions: { lengthMm: 300, widthMm: 250, heightMm: 20 } });
    expect(product.price).toEqual({ currency: "USD", fromMinor: 4999, toMinor: 5499, compareAtMinor: 5999, discounted: false });

    const events = await eventsAbout(product.id);
    expect(events.map((e) => e.type)).toEqual(["ProductCreated"]);
    expect(events[0]!.actor).toEqual({ type: "service", id: "ops" });
    expect(events[0]!.correlationId).toMatch(/^req-create-/);
    const snapshot = events[0]!.payload.product as {
      slug: string;
      version: number;
      variants: { sku: string; priceMinor: number }[];
      category: { path: string };
    };
    expect(snapshot).toMatchObject({ slug: product.slug, version: 1, category: { path: category.path } });
    expect(snapshot.variants.map((v) => [v.sku, v.priceMinor])).toEqual([
      [skus[0], 4999],
      [skus[1], 5499],
    ]);
  });

  it("names each invalid field and writes nothing", async () => {
    const name = `Broken ${uid()}`;
    const dup = sku();
    const cases: [unknown, string][] = [
      [
        {
          name,
          variants: [
            { sku: dup, priceMinor: 100, currency: "USD" },
            { sku: dup, priceMinor: 200, currency: "USD" },
          ],
        },
        "variants.1.sku",
      ],
      [{ name, variants: [{ sku: sku(), priceMinor: 100, compareAtMinor: 100, currency: "USD" }] }, "variants.0.compareAtMinor"],
      [
        {
          name,
          variants: [
            { sku: sku(), priceMinor: 100, currency: "USD" },
            { sku: sku(), priceMinor: 100, currency: "EUR" },
          ],
        },
        "variants.1.currency",
      ],
      [{ name, status: "active", variants: [] }, "status"],
      [{ name, slug: "categories" }, "slug"],
      [{ name, categoryId: "cat_00000000000000000000000000" }, "categoryId"],
      [{ name, variants: [{ sku: "lower-case", priceMinor: -1, currency: "usd" }] }, "variants.0.sku"],
      [{ name, unknownField: 1 }, ""],
    ];
    for (const [body, field] of cases) {
      const problem = await json<Problem>(await api("/api/products", { method: "POST", json: body }), 422);
      expect(problem.code, JSON.stringify(body)).toBe("VALIDATION_FAILED");
      if (field)
        expect(
          problem.errors!.map((e) => e.field),
          JSON.stringify(body),
        ).toContain(field);
    }
    const list = await json<{ items: unknown[] }>(await api(`/api/products?status=draft&limit=100`), 200);
    expect(JSON.stringify(list)).not.toContain(name);
  });

  it("refuses a taken slug or SKU with 409", async () => {
    const first = await newProduct();
    const sameSlug = await json<Problem>(await api("/api/products", { method: "POST", json: { name: "x", slug: first.slug } }), 409);
    expect(sameSlug.code).toBe("SLUG_TAKEN");
    const sameSku = await json<Problem>(
      await api("/api/products", {
        method: "POST",
        json: { name: `y ${uid()}`, variants: [{ sku: first.variants[0]!.sku, priceMinor: 1, currency: "USD" }] },
      }),
      409,
    );
    expect(sameSku.code).toBe("SKU_TAKEN");
  });

  it("is for admins only", async () => {
    expect((await api("/api/products", { method: "POST", json: { name: "x" }, token: null })).status).toBe(401);
  });
});

describe("changing products", () => {
  it("applies a change with the current version, bumps it, and announces it with the changed fields and price changes", async () => {
    const product = await newProduct({ variants: [{ priceMinor: 1000 }, { priceMinor: 2000 }] });
    const [a] = product.variants;
    const newSku = sku("NEW");
    const res = await patchProduct(product.id, product.version, {
      name: "Renamed",
      variants: [
        { sku: a!.sku, priceMinor: 1200, currency: "USD" },
        { sku: newSku, priceMinor: 3000, currency: "USD", options: { colour: "red" } },
      ],
    });
    const changed = await json<ProductBody>(res, 200);
    expect(changed.version).toBe(2);
    expect(res.headers.get("etag")).toMatch(/^"v2-/);
    expect(changed.name).toBe("Renamed");
    expect(changed.slug).toBe(product.slug);
    expect(changed.variants.map((v) => [v.sku, v.price.baseMinor])).toEqual([
      [a!.sku, 1200],
      [newSku, 3000],
    ]);
    expect(changed.variants[0]!.id).toBe(a!.id);

    const events = await eventsAbout(product.id);
    expect(events.map((e) => e.type)).toEqual(["ProductCreated", "ProductUpdated", "PriceChanged"]);
    expect(events[1]!.payload.changed).toEqual(["name", "variants"]);
    expect((events[1]!.payload.product as { version: number; variants: { sku: string }[] }).variants.map((v) => v.sku)).toEqual([
      a!.sku,
      newSku,
    ]);
    expect(events[2]!.payload).toEqual({
      productId: product.id,
      sku: a!.sku,
      currency: "USD",
      oldPriceMinor: 1000,
      newPriceMinor: 1200,
      version: 2,
    });
  });

  it("refuses a stale version with 409 and a missing If-Match with 428, changing nothing", async () => {
    const product = await newProduct();
    await json(await patchProduct(product.id, product.version, { name: "First edit" }), 200);
    const stale = await json<Problem & { currentVersion: number }>(
      await patchProduct(product.id, product.version, { name: "Lost edit" }),
      409,
    );
    expect(stale).toMatchObject({ code: "VERSION_CONFLICT", currentVersion: 2 });
    const missing = await api(`/api/products/${product.id}`, { method: "PATCH", json: { name: "No precondition" } });
    expect(missing.status).toBe(428);
    const now = await json<ProductBody>(await api(`/api/products/${product.id}`), 200);
    expect([now.name, now.version]).toEqual(["First edit", 2]);
  });

  it("lets exactly one of two racing edits of the same version win", async () => {
    const product = await newProduct();
    const etag = `"v${product.version}"`;
    const results = await Promise.all(
      ["Edit A", "Edit B", "Edit C"].map((name) =>
        patchProduct(product.id, etag, { name }).then(async (r) => ({ status: r.status, body: (await r.json()) as ProductBody & Problem })),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const winner = results.find((r) => r.status === 200)!.body;
    const now = await json<ProductBody>(await api(`/api/products/${product.id}`), 200);
    expect([now.name, now.version]).toEqual([winner.name, 2]);
    expect((await eventsAbout(product.id)).filter((e) => e.type === "ProductUpdated")).toHaveLength(1);
  });

  it("keeps the version when a change changes nothing", async () => {
    const product = await newProduct({ name: `Same ${uid()}`, tags: ["a"] });
    const same = await json<ProductBody>(
      await patchProduct(product.id, product.version, {
        name: product.name,
        tags: ["a"],
        variants: [{ sku: product.variants[0]!.sku, priceMinor: 1000, currency: "USD" }],
      }),
      200,
    );
    expect(same.version).toBe(1);
    expect((await eventsAbout(product.id)).map((e) => e.type)).toEqual(["ProductCreated"]);
  });

  it("accepts the full ETag of a read as If-Match", async () => {
    const product = await newProduct();
    const read = await api(`/api/products/${product.id}`);
    const res = await patchProduct(product.id, read.headers.get("etag")!, { tags: ["x"] });
    expect(res.status).toBe(200);
  });
});

describe("deleting products", () => {
  it("deletes with the current version, announces it, and the product is gone", async () => {
    const product = await newProduct();
    expect((await api(`/api/products/${product.id}`, { method: "DELETE", headers: { "if-match": '"v9"' } })).status).toBe(409);
    const res = await api(`/api/products/${product.id}`, { method: "DELETE", headers: { "if-match": `"v${product.version}"` } });
    expect(res.status).toBe(204);
    expect((await api(`/api/products/${product.id}`)).status).toBe(404);
    expect((await api(`/api/products/${product.slug}`, { token: null })).status).toBe(404);
    const deleted = (await eventsAbout(product.id)).at(-1)!;
    expect(deleted).toMatchObject({ type: "ProductDeleted", payload: { productId: product.id, slug: product.slug, version: 2 } });
    // The SKU is free again.
    await newProduct({ variants: [{ sku: product.variants[0]!.sku, priceMinor: 5 }] });
  });
});

describe("reading products", () => {
  it("shows drafts to admins only", async () => {
    const draft = await newProduct({ status: "draft" });
    expect((await api(`/api/products/${draft.id}`, { token: null })).status).toBe(404);
    expect((await json<ProductBody>(await api(`/api/products/${draft.id}`), 200)).status).toBe("draft");
    expect((await api(`/api/products?status=draft`, { token: null })).status).toBe(403);
    expect((await api(`/api/products?status=active`, { token: null })).status).toBe(200);
  });

  it("finds a product by id and by slug, and reports stock per variant", async () => {
    const product = await newProduct();
    const byId = await json<ProductBody>(await api(`/api/products/${product.id}`, { token: null }), 200);
    const bySlug = await json<ProductBody>(await api(`/api/products/${product.slug}`, { token: null }), 200);
    expect(bySlug.id).toBe(byId.id);
    expect(byId.variants[0]!.inStock).toBe(false);
  });
});

describe("the OpenAPI document", () => {
  it("describes the catalog's routes with their problem responses", async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string }[] }>>;
    }>(await api("/api/openapi.json", { token: null }), 200);
    for (const path of [
      "/api/products",
      "/api/products/{id}",
      "/api/products/{id}",
      "/api/products/{id}/images",
      "/api/products/{id}/images/{imageId}",
      "/api/products/categories",
      "/api/products/categories/{id}",
      "/api/products/brands",
      "/api/products/brands/{id}",
      "/api/products/tags",
      "/api/products/discounts",
      "/api/products/discounts/{id}",
      "/api/media/{key}",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.paths["/api/products/{id}"]!.patch!.responses)).toEqual(
      expect.arrayContaining(["200", "401", "403", "404", "409", "422", "428"]),
    );
    expect(doc.paths["/api/products/{id}"]!.patch!.parameters!.map((p) => p.name)).toContain("if-match");
    expect(Object.keys(doc.paths["/api/products"]!.get!.responses)).toEqual(expect.arrayContaining(["200", "304", "422"]));
  });
});
