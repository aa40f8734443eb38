/** Edge caching of public reads: headers, 304s, hits, and purges that keep a changed product from being served stale. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { json, type ListBody, newCategory, newProduct, type ProductBody, patchProduct } from "./test-fixtures.ts";

const anon = (path: string, headers: Record<string, string> = {}) => api(path, { token: null, headers });

describe("cache headers and conditional requests", () => {
  it("sends a strong ETag and a short shared lifetime, and 304 for a current If-None-Match", async () => {
    const product = await newProduct();
    const first = await anon(`/api/products/${product.slug}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate, s-maxage=30");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"v1-[0-9a-f]{16}"$/);

    const second = await anon(`/api/products/${product.slug}`);
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(second.headers.get("etag")).toBe(etag);
    expect(await second.text()).toBe(await first.text());

    const notModified = await anon(`/api/products/${product.slug}`, { "if-none-match": etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    expect(notModified.headers.get("etag")).toBe(etag);
    expect((await anon(`/api/products/${product.slug}`, { "if-none-match": `W/${etag}, "other"` })).status).toBe(304);
    expect((await anon(`/api/products/${product.slug}`, { "if-none-match": '"v1-0000000000000000"' })).status).toBe(200);
  });

  it("answers a listing's If-None-Match with 304 before and after caching it", async () => {
    const category = await newCategory();
    await newProduct({ categoryId: category.id });
    const path = `/api/products?category=${category.id}&sort=price_asc`;
    const miss = await anon(path);
    const etag = miss.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    // The same query in another order and with defaults spelt out is the same cached entry.
    const hit = await anon(`/api/products?sort=price_asc&limit=20&category=${category.id}`, { "if-none-match": etag });
    expect(hit.status).toBe(304);
    expect(hit.headers.get("x-cache")).toBe("HIT");
  });

  it("does not cache for admins, who must see what they edit", async () => {
    const product = await newProduct();
    const res = await api(`/api/products/${product.id}`);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("x-cache")).toBe("BYPASS");
    expect((await anon(`/api/products/${product.id}`)).headers.get("x-cache")).toBe("MISS");
  });
});

describe("invalidation", () => {
  it("never serves a changed product stale, by id, by old slug, or in a listing", async () => {
    const category = await newCategory();
    const product = await newProduct({ name: "Before", categoryId: category.id });
    const urls = [`/api/products/${product.id}`, `/api/products/${product.slug}`, `/api/products?category=${category.id}`];
    for (const url of urls) {
      await anon(url);
      expect((await anon(url)).headers.get("x-cache"), url).toBe("HIT");
    }
    const oldEtag = (await anon(urls[0]!)).headers.get("etag")!;

    await json(await patchProduct(product.id, product.version, { name: "After", slug: `${product.slug}-new` }), 200);

    const byId = await anon(urls[0]!, { "if-none-match": oldEtag });
    expect(byId.status).toBe(200);
    expect(((await byId.json()) as ProductBody).name).toBe("After");
    expect((await anon(urls[1]!)).status).toBe(404);
    expect((await json<ProductBody>(await anon(`/api/products/${product.slug}-new`), 200)).name).toBe("After");
    expect(names(await json<ListBody>(await anon(urls[2]!), 200))).toEqual(["After"]);
  });

  it("drops a deleted or unpublished product from cached reads", async () => {
    const category = await newCategory();
    const product = await newProduct({ name: "Going", categoryId: category.id });
    await anon(`/api/products/${product.slug}`);
    await anon(`/api/products?category=${category.id}`);
    await json(await patchProduct(product.id, product.version, { status: "archived" }), 200);
    expect((await anon(`/api/products/${product.slug}`)).status).toBe(404);
    expect(names(await json<ListBody>(await anon(`/api/products?category=${category.id}`), 200))).toEqual([]);
  });

  it("shows a new product in a cached listing at once", async () => {
    const category = await newCategory();
    await newProduct({ name: "First", categoryId: category.id });
    await anon(`/api/products?category=${category.id}`);
    await newProduct({ name: "Second", categoryId: category.id });
    expect(names(await json<ListBody>(await anon(`/api/products?category=${category.id}`), 200))).toEqual(["Second", "First"]);
  });

  it("registers what it caches, so a purge knows the URLs, and forgets them when purged", async () => {
    const product = await newProduct();
    await anon(`/api/products/${product.id}`);
    const registered = () =>
      withTestDb(async (db) =>
        (await db.execute<{ url: string }>(sql`select url from catalog.edge_cache_urls where product_id = ${product.id}`)).rows.map(
          (r) => new URL(r.url).pathname,
        ),
      );
    expect(await registered()).toEqual([`/api/products/${product.id}`]);
    await json(await patchProduct(product.id, product.version, { tags: ["purged"] }), 200);
    expect(await registered()).toEqual([]);
  });
});

describe("the register of cached URLs", () => {
  it("is pruned of expired entries by the nightly job", async () => {
    const url = `https://api.test/api/products?tag=expired-${crypto.randomUUID()}`;
    const count = () =>
      withTestDb(async (db) => (await db.execute(sql`select 1 from catalog.edge_cache_urls where url = ${url}`)).rows.length);
    await withTestDb((db) =>
      db.execute(sql`insert into catalog.edge_cache_urls (url, expires_at) values (${url}, now() - interval '5 minutes')`),
    );
    expect(await count()).toBe(1);
    const run = await json<{ outcome: string; result: { forgotten: number } }>(
      await api("/api/scheduler/jobs/catalog-cache-prune/run", { method: "POST" }),
      200,
    );
    expect(run.outcome).toBe("succeeded");
    expect(run.result.forgotten).toBeGreaterThanOrEqual(1);
    expect(await count()).toBe(0);
  });
});

const names = (body: ListBody) => body.items.map((i) => i.name);
