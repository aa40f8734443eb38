/**
 * The full reindex from the catalogue (admin endpoint and scheduler job), and
 * PriceChanged, which refreshes a product from the catalogue's snapshot.
 * The catalogue rows are written directly, as the catalog family would.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PriceChanged } from "../../queues/contracts/events/product.ts";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { newId } from "../platform/ids.ts";
import { created, deliver, documentOf, productEvent, randomWord, search, snapshot } from "./test-fixtures.ts";

const word = randomWord();
const brandId = newId("brd");
const categoryId = newId("cat");
const ids = { stocked: newId("prd"), unstocked: newId("prd"), draft: newId("prd") };
const sku = (productId: string) => `${productId}-SKU`;

beforeAll(async () => {
  await withTestDb(async (db) => {
    await db.execute(sql`insert into catalog.brands (id, slug, name) values (${brandId}, ${`${word}-brand`}, ${`${word} Works`})`);
    await db.execute(
      sql`insert into catalog.categories (id, slug, name, path) values (${categoryId}, ${`${word}-lighting`}, 'Lighting', ${`${word}-lighting`})`,
    );
    const rows: [string, string, string][] = [
      [ids.stocked, "Brass Floor Lamp", "active"],
      [ids.unstocked, "Paper Pendant Lamp", "active"],
      [ids.draft, "Prototype Lamp", "draft"],
    ];
    for (const [id, name, status] of rows) {
      await db.execute(sql`insert into catalog.products (id, slug, name, description, brand_id, category_id, status)
        values (${id}, ${`${word}-${id.toLowerCase()}`}, ${name}, ${`A lamp from the ${word} range.`}, ${brandId}, ${categoryId}, ${status})`);
      await db.execute(
        sql`insert into catalog.variants (id, product_id, sku, price_minor, currency) values (${newId("var")}, ${id}, ${sku(id)}, 12900, 'USD')`,
      );
    }
    await db.execute(sql`insert into inventory.stock_levels (sku, on_hand, available) values (${sku(ids.stocked)}, 6, 6)`);
  });
});

afterAll(async () => {
  await withTestDb(async (db) => {
    await db.execute(sql`delete from catalog.products where brand_id = ${brandId}`);
    await db.execute(sql`delete from catalog.brands where id = ${brandId}`);
    await db.execute(sql`delete from catalog.categories where id = ${categoryId}`);
    await db.execute(sql`delete from inventory.stock_levels where sku = ${sku(ids.stocked)}`);
  });
});

type Run = { outcome: string; error: string | null; result: Record<string, number> };

async function reindex(): Promise<Run> {
  const res = await api("/api/search/reindex", { method: "POST" });
  expect(res.status).toBe(200);
  return (await res.json()) as Run;
}

const lexiconHas = (w: string) =>
  withTestDb(async (db) => (await db.execute(sql`select 1 from search.lexicon where word = ${w}`)).rows.length > 0);

describe("full reindex", () => {
  it("builds the projection from the catalogue with stock, and retires rows the catalogue does not have", async () => {
    // A product only the projection knows (its catalogue row is gone), with a word nothing else has.
    const orphanWord = randomWord();
    const orphan = snapshot({ name: `${orphanWord} Sconce` });
    await deliver([created(orphan)]);
    expect(await lexiconHas(orphanWord)).toBe(true);

    const run = await reindex();
    expect(run).toMatchObject({ outcome: "succeeded", error: null });
    expect(run.result.products).toBeGreaterThanOrEqual(3);
    expect(run.result.tombstoned).toBeGreaterThanOrEqual(1);

    const r = await search({ q: word, sort: "price_asc" });
    expect(r.items.map((i) => i.productId).sort()).toEqual([ids.stocked, ids.unstocked].sort());
    expect(Object.fromEntries(r.items.map((i) => [i.productId, i.inStock]))).toEqual({ [ids.stocked]: true, [ids.unstocked]: false });
    expect(r.items[0]!.price).toEqual({ minMinor: 12900, maxMinor: 12900, compareAtMinor: null, currency: "USD" });
    expect(r.facets.brand).toEqual([{ value: `${word}-brand`, label: `${word} Works`, count: 2 }]);
    expect(await documentOf(ids.draft)).toMatchObject({ status: "draft" });

    expect(await documentOf(orphan.productId)).toMatchObject({ status: "deleted" });
    expect((await search({ q: orphanWord })).total).toBe(0);
    expect(await lexiconHas(orphanWord)).toBe(false);
    expect(await lexiconHas(word)).toBe(true);

    // Running it again changes nothing that is already right.
    const again = await reindex();
    expect(again.outcome).toBe("succeeded");
    expect((await search({ q: word })).total).toBe(2);
  });

  it("is a registered job that admins trigger; others may not", async () => {
    const jobs = (await (await api("/api/scheduler/jobs")).json()) as { items: { name: string; crons: string[] }[] };
    expect(jobs.items.find((j) => j.name === "search-reindex")?.crons).toEqual(["17 3 * * *"]);
    expect((await api("/api/search/reindex", { method: "POST", token: null })).status).toBe(401);
  });
});

describe("PriceChanged", () => {
  it("refreshes a product from the catalogue when the event is newer than the projection, and not otherwise", async () => {
    await reindex();
    expect((await documentOf(ids.unstocked))!.price_min_minor).toBe(12900);
    await withTestDb(async (db) => {
      await db.execute(sql`update catalog.variants set price_minor = 9900 where product_id = ${ids.unstocked}`);
      await db.execute(sql`update catalog.products set version = version + 1 where id = ${ids.unstocked}`);
    });
    const change = (version: number) =>
      productEvent(PriceChanged, ids.unstocked, {
        productId: ids.unstocked,
        sku: sku(ids.unstocked),
        currency: "USD",
        oldPriceMinor: 12900,
        newPriceMinor: 9900,
        version,
      });

    // An event not newer than what the projection holds is ignored, even if the catalogue has moved on.
    await deliver([change(1)]);
    expect(await documentOf(ids.unstocked)).toMatchObject({ version: 1, price_min_minor: 12900 });
    await deliver([change(2)]);
    expect(await documentOf(ids.unstocked)).toMatchObject({ version: 2, price_min_minor: 9900 });
    expect((await search({ q: word, maxPrice: 10000 })).items.map((i) => i.productId)).toEqual([ids.unstocked]);
  });
});
