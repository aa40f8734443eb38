/**
 * The indexer through the search consumer group: it catches up after events
 * sent through the real queue, and redelivery, reordering and races between
 * versions leave the projection at the newest version.
 */
import { describe, expect, it } from "vitest";
import { testBindings } from "../../test/helpers/db.ts";
import { processedBy } from "../../test/helpers/events.ts";
import { eventually } from "../../test/helpers/http.ts";
import { created, deleted, deliver, documentOf, randomWord, search, snapshot, stockEvent, updated } from "./test-fixtures.ts";

const found = async (q: string) => (await search({ q })).items.map((i) => i.productId);

describe("catching up through the queue", () => {
  it("indexes a product after its events, follows a rename and drops it when deleted", async () => {
    const word = randomWord();
    const v1 = snapshot({ name: `${word} Lantern` });
    const first = created(v1);
    await testBindings.Q_SEARCH.send(first, { contentType: "json" });
    await eventually(
      async () => ((await found(word)).includes(v1.productId) ? true : undefined),
      15_000,
      "the created product to be searchable",
    );

    const renamed = randomWord();
    const v2 = { ...v1, name: `${renamed} Lantern`, version: 2 };
    await testBindings.Q_SEARCH.send(updated(v2), { contentType: "json" });
    await eventually(async () => ((await found(renamed)).includes(v1.productId) ? true : undefined), 15_000, "the rename to be searchable");
    expect(await found(word)).not.toContain(v1.productId);

    const gone = deleted(v2, 3);
    await testBindings.Q_SEARCH.send(gone, { contentType: "json" });
    await eventually(async () => ((await processedBy("search", gone.id)) ? true : undefined), 15_000, "the deletion to be processed");
    expect(await found(renamed)).not.toContain(v1.productId);
    expect(await documentOf(v1.productId)).toMatchObject({ status: "deleted", version: 3 });

    // The same event again through the real queue: acknowledged, and nothing comes back.
    await testBindings.Q_SEARCH.send(first, { contentType: "json" });
    const marker = created(snapshot({ name: `${randomWord()} Marker` }));
    await testBindings.Q_SEARCH.send(marker, { contentType: "json" });
    await eventually(async () => ((await processedBy("search", marker.id)) ? true : undefined), 15_000, "the marker after the redelivery");
    expect(await documentOf(v1.productId)).toMatchObject({ status: "deleted", version: 3 });
  });
});

describe("redelivery and reordering", () => {
  it("gives the same event delivered twice, in one batch and in racing batches, one effect", async () => {
    const p = snapshot({ name: `${randomWord()} Stool` });
    const event = created(p);
    const [a, b] = await Promise.all([deliver([event, event]), deliver([event])]);
    expect(a.acked + b.acked).toBe(3);
    expect(await documentOf(p.productId)).toMatchObject({ status: "active", version: 1, name: p.name });
  });

  it("ignores an older snapshot that arrives after a newer one, and a repeat of the same version", async () => {
    const word = randomWord();
    const v1 = snapshot({ name: `${word} Chair` });
    const v2 = { ...v1, name: `${word} Armchair`, version: 2 };
    await deliver([created(v1), updated(v2)]);
    // Late and repeated copies with new event ids, as a replay or a re-announcement would produce.
    expect((await deliver([updated(v1), created(v1), updated(v2)])).acked).toBe(3);
    expect(await documentOf(v1.productId)).toMatchObject({ version: 2, name: `${word} Armchair` });
    const r = await search({ q: `${word} armchair` });
    expect(r.items.map((i) => i.productId)).toEqual([v1.productId]);
  });

  it("ends at the newest version whatever order racing deliveries take", async () => {
    const products = Array.from({ length: 4 }, () => snapshot({ name: `${randomWord()} Desk` }));
    await Promise.all(
      products.flatMap((p) => {
        const versions = [1, 2, 3, 4].map((version) => ({ ...p, name: `${p.name} v${version}`, version }));
        return versions.map((v) => deliver([updated(v)]));
      }),
    );
    for (const p of products) expect(await documentOf(p.productId)).toMatchObject({ version: 4, name: `${p.name} v4` });
  });

  it("keeps a deleted product deleted when older snapshots arrive late", async () => {
    const word = randomWord();
    const v1 = snapshot({ name: `${word} Shelf` });
    await deliver([deleted(v1, 2)]);
    await deliver([created(v1), updated({ ...v1, version: 2 })]);
    expect(await documentOf(v1.productId)).toMatchObject({ status: "deleted", version: 2 });
    expect(await found(word)).toEqual([]);
  });

  it("makes only active products searchable, following status changes", async () => {
    const word = randomWord();
    const draft = snapshot({ name: `${word} Rug`, status: "draft" });
    await deliver([created(draft)]);
    expect(await found(word)).toEqual([]);
    await deliver([updated({ ...draft, status: "active", version: 2 })]);
    expect(await found(word)).toEqual([draft.productId]);
    await deliver([updated({ ...draft, status: "archived", version: 3 })]);
    expect(await found(word)).toEqual([]);
  });
});

describe("stock", () => {
  it("follows inventory events by version, per SKU, including SKUs reported before their product", async () => {
    const word = randomWord();
    const p = snapshot({ name: `${word} Lamp`, prices: [2500, 2700] });
    const [sku0, sku1] = p.variants.map((v) => v.sku) as [string, string];
    // Stock is reported before the product is indexed.
    await deliver([stockEvent(sku1, 4, 2)]);
    await deliver([created(p)]);
    expect((await documentOf(p.productId))!.in_stock).toBe(true);

    await deliver([stockEvent(sku1, 0, 3)]);
    expect((await documentOf(p.productId))!.in_stock).toBe(false);
    expect((await search({ q: word, inStock: true })).total).toBe(0);

    await deliver([stockEvent(sku0, 9, 5)]);
    expect((await documentOf(p.productId))!.in_stock).toBe(true);
    // An older level of the same SKU, delivered late, changes nothing.
    await deliver([stockEvent(sku0, 0, 4)]);
    expect((await documentOf(p.productId))!.in_stock).toBe(true);
    expect((await search({ q: word, inStock: true })).items.map((i) => i.productId)).toEqual([p.productId]);
    // A product update keeps the stock the events reported.
    await deliver([updated({ ...p, version: 2 })]);
    expect((await documentOf(p.productId))!.in_stock).toBe(true);
  });
});
