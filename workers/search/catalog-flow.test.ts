/**
 * From the catalogue's admin API to search results, as in production: the
 * product family writes its change and event through the outbox, the relay
 * publishes to the search queue, and the search consumer updates the projection.
 */
import { describe, expect, it } from "vitest";
import { api, eventually } from "../../test/helpers/http.ts";
import { json, newBrand, newCategory, newProduct, type ProductBody, patchProduct } from "../products/test-fixtures.ts";
import { documentOf, randomWord, search } from "./test-fixtures.ts";

const hits = async (q: string) => (await search({ q })).items;

describe("catalogue to search", () => {
  it("finds a product created through the catalogue, follows its edits and forgets it when deleted", async () => {
    const word = randomWord();
    const brand = await newBrand(`${word} Outfitters`);
    const category = await newCategory(`${word} Tents`);
    const created = await newProduct({
      name: `${word} Dome Tent`,
      brandId: brand.id,
      categoryId: category.id,
      variants: [{ priceMinor: 24900 }, { priceMinor: 27900 }],
    });

    const first = await eventually(
      async () => ((await hits(word)).length > 0 ? hits(word) : undefined),
      15_000,
      "the new product to be searchable",
    );
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      productId: created.id,
      name: `${word} Dome Tent`,
      price: { minMinor: 24900, maxMinor: 27900, currency: "USD" },
    });
    expect(first[0]!.brand?.slug).toBe(brand.slug);
    expect(first[0]!.category?.path).toBe(category.path);

    // A typo in the new product's own word: the lexicon learnt it when the product was indexed.
    const typo = word.slice(0, 3) + word.slice(4);
    expect((await search({ q: `${typo} tent` })).items.map((i) => i.productId)).toEqual([created.id]);

    const renamed = randomWord();
    const changed = await json<ProductBody>(await patchProduct(created.id, created.version, { name: `${renamed} Tunnel Tent` }), 200);
    await eventually(
      async () => ((await hits(renamed)).some((i) => i.productId === created.id) ? true : undefined),
      15_000,
      "the rename to reach search",
    );
    expect((await hits(`${word} dome`)).map((i) => i.productId)).not.toContain(created.id);

    const archived = await json<ProductBody>(await patchProduct(created.id, changed.version, { status: "archived" }), 200);
    await eventually(async () => ((await hits(renamed)).length === 0 ? true : undefined), 15_000, "the archived product to leave search");

    const removed = await api(`/api/products/${created.id}`, { method: "DELETE", headers: { "if-match": `"v${archived.version}"` } });
    expect(removed.status).toBe(204);
    await eventually(
      async () => ((await documentOf(created.id))?.status === "deleted" ? true : undefined),
      15_000,
      "the deletion to reach search",
    );
    expect(await hits(renamed)).toEqual([]);
  });
});
