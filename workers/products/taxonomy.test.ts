/** Categories (a tree with paths), brands and tags over HTTP, and what their changes do to products. */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { eventsAbout, json, newBrand, newCategory, newProduct, type Problem, type ProductBody, uid } from "./test-fixtures.ts";

type Category = { id: string; parentId: string | null; slug: string; path: string; depth: number; version: number; name: string };
const patchCategory = (c: { id: string; version: number }, body: unknown) =>
  api(`/api/products/categories/${c.id}`, { method: "PATCH", json: body, headers: { "if-match": `"v${c.version}"` } });

describe("categories", () => {
  it("builds paths from the root and refuses a sibling with the same slug", async () => {
    const root = await newCategory(`Root ${uid()}`);
    const child = await json<Category>(
      await api("/api/products/categories", { method: "POST", json: { name: "Shirts", parentId: root.id } }),
      201,
    );
    expect(child).toMatchObject({ parentId: root.id, slug: "shirts", path: `${root.path}/shirts`, depth: 1 });
    const clash = await json<Problem>(
      await api("/api/products/categories", { method: "POST", json: { name: "Shirts", parentId: root.id } }),
      409,
    );
    expect(clash.code).toBe("CATEGORY_SLUG_TAKEN");
    const grandchild = await json<Category>(
      await api("/api/products/categories", { method: "POST", json: { name: "Linen", slug: "linen", parentId: child.id } }),
      201,
    );
    expect(grandchild).toMatchObject({ path: `${root.path}/shirts/linen`, depth: 2 });
  });

  it("moves a subtree: every path below follows, its products get a new version and a ProductUpdated", async () => {
    const a = await newCategory(`A ${uid()}`);
    const b = await newCategory(`B ${uid()}`);
    const sub = await newCategory("Sub", a.id);
    const leaf = await newCategory("Leaf", sub.id);
    const product = await newProduct({ categoryId: leaf.id });

    const moved = await json<Category>(await patchCategory(sub, { parentId: b.id }), 200);
    expect(moved).toMatchObject({ path: `${b.path}/sub`, version: 2 });
    const leafNow = (await json<{ items: Category[] }>(await api(`/api/products/categories?limit=500`), 200)).items.find(
      (c) => c.id === leaf.id,
    )!;
    expect(leafNow.path).toBe(`${b.path}/sub/leaf`);

    const after = await json<ProductBody>(await api(`/api/products/${product.id}`), 200);
    expect(after).toMatchObject({ version: 2, category: { path: `${b.path}/sub/leaf` } });
    const updated = (await eventsAbout(product.id)).filter((e) => e.type === "ProductUpdated");
    expect(updated).toHaveLength(1);
    expect(updated[0]!.payload).toMatchObject({ changed: ["category"], product: { version: 2, category: { path: `${b.path}/sub/leaf` } } });
    // Listings by the new path find it; by the old one they do not.
    expect(
      (
        await json<{ items: { id: string }[] }>(
          await api(`/api/products?category=${encodeURIComponent(`${b.path}/sub`)}`, { token: null }),
          200,
        )
      ).items.map((i) => i.id),
    ).toEqual([product.id]);
    expect(
      (await json<{ items: unknown[] }>(await api(`/api/products?category=${encodeURIComponent(`${a.path}/sub`)}`, { token: null }), 200))
        .items,
    ).toEqual([]);
  });

  it("refuses a move under itself, a stale version, and deleting a category in use", async () => {
    const top = await newCategory();
    const below = await newCategory("Below", top.id);
    const problem = await json<Problem>(await patchCategory(top, { parentId: below.id }), 422);
    expect(problem.errors![0]!.field).toBe("parentId");
    expect((await patchCategory({ id: top.id, version: 5 }, { name: "x" })).status).toBe(409);
    const inUse = await json<Problem>(
      await api(`/api/products/categories/${top.id}`, { method: "DELETE", headers: { "if-match": `"v${top.version}"` } }),
      409,
    );
    expect(inUse.code).toBe("CATEGORY_NOT_EMPTY");
    expect(
      (await api(`/api/products/categories/${below.id}`, { method: "DELETE", headers: { "if-match": `"v${below.version}"` } })).status,
    ).toBe(204);
    expect(
      (await api(`/api/products/categories/${top.id}`, { method: "DELETE", headers: { "if-match": `"v${top.version}"` } })).status,
    ).toBe(204);
  });

  it("never lets two racing moves make a cycle", async () => {
    const x = await newCategory();
    const y = await newCategory();
    const [one, two] = await Promise.all([patchCategory(x, { parentId: y.id }), patchCategory(y, { parentId: x.id })]);
    expect([one.status, two.status].sort()).toEqual([200, 422]);
  });

  it("pages through the tree in path order", async () => {
    const first = await json<{ items: Category[]; nextCursor: string }>(
      await api("/api/products/categories?limit=2", { token: null }),
      200,
    );
    expect(first.items).toHaveLength(2);
    const second = await json<{ items: Category[] }>(
      await api(`/api/products/categories?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, { token: null }),
      200,
    );
    expect(second.items[0]!.path > first.items[1]!.path).toBe(true);
  });
});

describe("brands and tags", () => {
  it("renames a brand into its products' snapshots, and refuses deleting it while in use", async () => {
    const brand = await newBrand();
    const product = await newProduct({ brandId: brand.id });
    const renamed = await json<{ name: string; version: number }>(
      await api(`/api/products/brands/${brand.id}`, {
        method: "PATCH",
        json: { name: "Renamed Brand" },
        headers: { "if-match": `"v${brand.version}"` },
      }),
      200,
    );
    expect(renamed).toMatchObject({ name: "Renamed Brand", version: 2 });
    const event = (await eventsAbout(product.id)).find((e) => e.type === "ProductUpdated")!;
    expect(event.payload).toMatchObject({ changed: ["brand"], product: { brand: { name: "Renamed Brand" } } });
    const inUse = await json<Problem>(
      await api(`/api/products/brands/${brand.id}`, { method: "DELETE", headers: { "if-match": '"v2"' } }),
      409,
    );
    expect(inUse.code).toBe("BRAND_IN_USE");
    const taken = await json<Problem>(await api("/api/products/brands", { method: "POST", json: { name: "x", slug: brand.slug } }), 409);
    expect(taken.code).toBe("BRAND_SLUG_TAKEN");
  });

  it("counts tags on active products", async () => {
    const tag = `zz-${uid()}`;
    await newProduct({ tags: [tag] });
    await newProduct({ tags: [tag] });
    await newProduct({ tags: [tag], status: "draft" });
    // Every page, following nextCursor: each tag exactly once.
    const tags: { tag: string; count: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { tag: string; count: number }[]; nextCursor: string | null } = await json(
        await api(`/api/products/tags?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { token: null }),
        200,
      );
      tags.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(tags.map((t) => t.tag)).size).toBe(tags.length);
    expect(tags.find((t) => t.tag === tag)).toEqual({ tag, count: 2 });
  });

  it("is open to read and closed to write for the public", async () => {
    expect((await api("/api/products/brands", { token: null })).status).toBe(200);
    expect((await api("/api/products/brands", { method: "POST", json: { name: "x" }, token: null })).status).toBe(401);
    expect((await api("/api/products/categories", { method: "POST", json: { name: "x" }, token: null })).status).toBe(401);
  });
});
