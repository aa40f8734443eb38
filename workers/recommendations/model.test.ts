/**
 * The co-purchase and popularity tables through the consumer group: each
 * event counts once however often it is delivered (also when deliveries
 * race), cancellations and returns take purchases back, and the nightly
 * rebuild arrives at exactly the tables the incremental updates built.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { newId } from "../platform/ids.ts";
import { rebuildModel } from "./rebuild.ts";
import { catalogue, deliver, ids, list, order, randomWord, viewed } from "./test-fixtures.ts";

async function pairs(productIds: string[]): Promise<Record<string, number>> {
  return withTestDb(async (db) => {
    const r = await db.execute<{ product_id: string; other_id: string; customers: number }>(sql`
      select product_id, other_id, customers from recommendations.co_purchase
      where product_id = any(${sql.param(productIds)}::text[]) order by product_id, other_id`);
    return Object.fromEntries(r.rows.map((row) => [`${row.product_id}>${row.other_id}`, row.customers]));
  });
}

async function buyers(productIds: string[]): Promise<Record<string, number>> {
  return withTestDb(async (db) => {
    const r = await db.execute<{ product_id: string; buyers: number }>(sql`
      select product_id, buyers from recommendations.product_stats where product_id = any(${sql.param(productIds)}::text[])`);
    return Object.fromEntries(r.rows.map((row) => [row.product_id, row.buyers]));
  });
}

const rebuild = () => withTestDb((db) => rebuildModel(db, newId("run")));

describe("co-purchase tables from order events", () => {
  it("counts customers who bought both, once per event however often it is delivered, and the rebuild agrees", async () => {
    const cat = `outdoor-${randomWord()}`;
    const [tent, stakes, lamp] = await catalogue([
      { name: "Tent", category: `${cat}/tents` },
      { name: "Stakes", category: `${cat}/accessories` },
      { name: "Lamp", category: `${cat}/lighting` },
    ]);
    const [a, b, c] = [newId("usr"), newId("usr"), newId("usr")];
    const orders = [order(a, [tent!, stakes!]), order(b, [tent!, stakes!, lamp!]), order(c, [tent!]), order(c, [lamp!])];
    await deliver(orders.map((o) => o.created));
    // Every confirmation twice in one batch, and again in racing batches.
    const confirmations = orders.map((o) => o.confirmed);
    await Promise.all([deliver([...confirmations, ...confirmations]), deliver(confirmations), deliver(confirmations.slice().reverse())]);

    const t = tent!.productId;
    const s = stakes!.productId;
    const l = lamp!.productId;
    const expected = { [`${t}>${s}`]: 2, [`${t}>${l}`]: 2, [`${s}>${t}`]: 2, [`${s}>${l}`]: 1, [`${l}>${t}`]: 2, [`${l}>${s}`]: 1 };
    expect(await pairs([t, s, l])).toEqual(expected);
    expect(await buyers([t, s, l])).toEqual({ [t]: 3, [s]: 2, [l]: 2 });

    await rebuild();
    expect(await pairs([t, s, l])).toEqual(expected);
    expect(await buyers([t, s, l])).toEqual({ [t]: 3, [s]: 2, [l]: 2 });
  });

  it("takes a cancelled order and a returned one back out, once, and the rebuild agrees", async () => {
    const cat = `kitchen-${randomWord()}`;
    const [pan, lid, oil] = await catalogue([
      { name: "Pan", category: `${cat}/pans` },
      { name: "Lid", category: `${cat}/pans` },
      { name: "Oil", category: `${cat}/pantry`, tags: ["consumable"] },
    ]);
    const [a, b] = [newId("usr"), newId("usr")];
    const first = order(a, [pan!, lid!]);
    const second = order(b, [pan!, lid!, oil!]);
    const again = order(b, [pan!]); // b holds the pan twice: one return leaves it held
    await deliver([first.created, second.created, again.created]);
    await deliver([first.confirmed, second.confirmed, again.confirmed]);
    const [p, l, o] = [pan!.productId, lid!.productId, oil!.productId];
    expect(await pairs([p])).toEqual({ [`${p}>${l}`]: 2, [`${p}>${o}`]: 1 });

    await Promise.all([deliver([first.cancelled, first.cancelled]), deliver([second.returned])]);
    await deliver([first.cancelled, second.returned]);
    // a's pair is gone; b returned the whole second order but still holds the pan from the third.
    expect(await pairs([p, l, o])).toEqual({});
    expect(await buyers([p, l, o])).toEqual({ [p]: 1, [l]: 0, [o]: 0 });

    await rebuild();
    expect(await pairs([p, l, o])).toEqual({});
    expect(await buyers([p])).toEqual({ [p]: 1 });
  });

  it("retries a confirmation that arrives before its order's lines, then counts it", async () => {
    const [mug, saucer] = await catalogue([
      { name: "Mug", category: `home-${randomWord()}/cups` },
      { name: "Saucer", category: `home-${randomWord()}/cups` },
    ]);
    const o = order(newId("usr"), [mug!, saucer!]);
    expect(await deliver([o.confirmed])).toEqual({ acked: 0, retried: 1 });
    await deliver([o.created]);
    expect(await deliver([o.confirmed])).toEqual({ acked: 1, retried: 0 });
    expect(await pairs([mug!.productId])).toEqual({ [`${mug!.productId}>${saucer!.productId}`]: 1 });
  });

  it("ranks trending within a category by decayed signal weight, ignores views of unknown products", async () => {
    const cat = `garden-${randomWord()}`;
    const [hose, rake, gloves] = await catalogue([
      { name: "Hose", category: `${cat}/water` },
      { name: "Rake", category: `${cat}/tools` },
      { name: "Gloves", category: `${cat}/tools` },
    ]);
    const views = [...Array(5)].map(() => viewed(rake!, null));
    const more = [...Array(2)].map(() => viewed(gloves!, null));
    const unknown = viewed({ ...rake!, slug: `no-such-${randomWord()}` }, null);
    expect((await deliver([...views, ...more, viewed(hose!, null), unknown])).acked).toBe(9);
    const all = await list(`/trending?category=${cat}`);
    expect(all.algorithm).toBe("trending");
    expect(ids(all)).toEqual([rake!.productId, gloves!.productId, hose!.productId]);
    expect(ids(await list(`/trending?category=${cat}/tools`))).toEqual([rake!.productId, gloves!.productId]);
  });
});
