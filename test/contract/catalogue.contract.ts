/**
 * The catalogue across families on every runtime: a product written by
 * staff is listed (through the HTTP cache, which must expire its copies),
 * and its events travel through the queues to the search projection and the
 * audit trail; a staff member's write is in the trail as attempted before it
 * ran and with its outcome after.
 */
import { describe, expect, it } from "vitest";
import { api, eventually, json, runtime, signUp, uid } from "./client.ts";

async function newProduct(word: string): Promise<{ id: string; slug: string; version: number }> {
  return json(
    await api("/api/products", {
      method: "POST",
      json: {
        name: `Contract ${word} lantern`,
        slug: `contract-${word}`,
        categoryId: null,
        brandId: null,
        status: "active",
        tags: [],
        variants: [{ sku: `CT-${uid().toUpperCase()}`, priceMinor: 2599, compareAtMinor: null, currency: "USD", options: {} }],
      },
    }),
    201,
  );
}

describe(`catalogue contract (${runtime})`, () => {
  it("serves a product by slug and caches the public read (MISS, then HIT with the same ETag)", async () => {
    const product = await newProduct(`cache${uid()}`);
    const first = await api(`/api/products/${product.slug}`, { token: null });
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    const body = (await first.json()) as { id: string };
    expect(body.id).toBe(product.id);
    const second = await api(`/api/products/${product.slug}`, { token: null });
    expect(second.status).toBe(200);
    expect(second.headers.get("etag")).toBe(etag);
    const revalidated = await api(`/api/products/${product.slug}`, { token: null, headers: { "if-none-match": etag ?? "" } });
    expect(revalidated.status).toBe(304);
  });

  it("shows a price change once staff edit the product (the cached copy is purged, not served stale)", async () => {
    const product = await newProduct(`edit${uid()}`);
    await api(`/api/products/${product.slug}`, { token: null });
    const patched = await api(`/api/products/${product.id}`, {
      method: "PATCH",
      headers: { "if-match": `"v${product.version}"` },
      json: { name: "Renamed contract lantern" },
    });
    expect(patched.status).toBe(200);
    const after = await json<{ name: string }>(await api(`/api/products/${product.slug}`, { token: null }), 200);
    expect(after.name).toBe("Renamed contract lantern");
  });

  it("delivers the product's events through the queues to search and to the audit trail", async () => {
    const word = `zq${uid()}`;
    const product = await newProduct(word);
    // Public answers are edge-cached for a short while; staff bypass the cache and
    // refresh the entry with what they see, so the public answer follows at once.
    const found = await eventually(async () => {
      const res = await json<{ items: { productId: string }[] }>(await api(`/api/search?q=${word}`), 200);
      return res.items.find((i) => i.productId === product.id);
    }, "the search projection to index the new product");
    expect(found.productId).toBe(product.id);
    const publicAnswer = await api(`/api/search?q=${word}`, { token: null });
    const publicItems = await json<{ items: { productId: string }[] }>(publicAnswer, 200);
    expect(publicItems.items.map((i) => i.productId)).toContain(product.id);
    const audited = await eventually(async () => {
      const res = await json<{ items: { type: string }[] }>(await api(`/api/audit/entities/product/${product.id}`), 200);
      return res.items.length > 0 ? res.items : undefined;
    }, "the audit trail to record the product");
    expect(audited.map((e) => e.type)).toContain("ProductCreated");
  });

  it("records a staff member's write as attempted, then taken, under their id", async () => {
    const admin = await signUp("admin");
    const res = await api("/api/products/categories", {
      method: "POST",
      token: admin.accessToken,
      json: { name: `Contract ${uid()}`, parentId: null },
    });
    const category = await json<{ id: string }>(res, 201);
    type Entry = { eventId: string; type: string; subjectId: string; payload: { route: string; attemptId?: string }; outcome?: unknown };
    const [attempt, taken] = await eventually(async () => {
      const page = await json<{ items: Entry[] }>(await api(`/api/audit/entries?actorId=${admin.userId}`), 200);
      const a = page.items.find((e) => e.type === "StaffActionAttempted");
      const t = page.items.find((e) => e.type === "StaffActionTaken");
      return a && t ? [a, t] : undefined;
    }, "the attempt and the outcome of the admin's write");
    expect(attempt!.payload.route).toBe("/api/products/categories");
    expect(attempt!.outcome).toEqual({ result: "succeeded", status: 201 });
    expect(taken).toMatchObject({ subjectId: category.id, payload: { attemptId: attempt!.eventId } });
  });
});
