/**
 * The recommendation endpoints over HTTP: each list names its algorithm and
 * model version, the personal feed leaves out what the shopper owns (but not
 * consumables), what is out of stock and what is not active; the user path
 * answers only its user and staff; bad input is a 422 problem.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import { addedToCart, catalogue, created, deliver, ids, list, order, product, randomWord, stock, viewed } from "./test-fixtures.ts";

describe("product page lists", () => {
  it("answers also-bought by co-purchase significance, with the algorithm, model version and a short-lived cache", async () => {
    const cat = `audio-${randomWord()}`;
    const [player, cable, case_, bestseller] = await catalogue([
      { name: "Player", category: `${cat}/players` },
      { name: "Cable", category: `${cat}/cables` },
      { name: "Case", category: `${cat}/cases` },
      { name: "Bestseller", category: `${cat}/cases` },
    ]);
    const events = [
      ...[...Array(3)].map(() => order(newId("usr"), [player!, cable!, bestseller!])),
      ...[...Array(8)].map(() => order(newId("usr"), [bestseller!])),
      order(newId("usr"), [player!, case_!]),
    ];
    await deliver(events.map((e) => e.created));
    await deliver(events.map((e) => e.confirmed));

    const first = await api(`/api/recommendations/products/${player!.productId}/also-bought`, { token: null });
    expect(first.headers.get("x-cache")).toBe("MISS");
    const body = (await first.json()) as Awaited<ReturnType<typeof list>>;
    expect(body.algorithm).toBe("also-bought");
    expect(body.modelVersion).toMatch(/^also-bought@1\+/);
    // The cable shares 3 of the player's 4 buyers and has 3 buyers: above the best-seller (3 shared, 11 buyers).
    expect(ids(body)).toEqual([cable!.productId, bestseller!.productId, case_!.productId]);
    const again = await api(`/api/recommendations/products/${player!.productId}/also-bought`, { token: null });
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(ids((await again.json()) as typeof body)).toEqual(ids(body));
  });

  it("answers similar from content for a product nobody bought yet, without archived or sold-out products", async () => {
    const cat = `shoes-${randomWord()}`;
    const [trail, road, sandal, soldOut, archived] = await catalogue([
      { name: "Trail runner", category: `${cat}/running`, brand: "fleet", tags: ["trail"], price: 12000 },
      { name: "Road runner", category: `${cat}/running`, brand: "fleet", tags: ["trail"], price: 11000 },
      { name: "Sandal", category: `${cat}/sandals`, price: 3000 },
      { name: "Sold out runner", category: `${cat}/running`, brand: "fleet", tags: ["trail"], price: 12000 },
      { name: "Archived runner", category: `${cat}/running`, brand: "fleet", tags: ["trail"], price: 12000 },
    ]);
    await deliver([stock(soldOut!, 0, 2), created({ ...archived!, status: "archived", version: 2 })]);
    const r = await list(`/products/${trail!.productId}/similar`);
    expect(r.algorithm).toBe("similar");
    expect(ids(r)).toEqual([road!.productId, sandal!.productId]);
  });

  it("answers cart cross-sell without the cart's own products", async () => {
    const cat = `desk-${randomWord()}`;
    const [desk, chair, lamp, mat] = await catalogue([
      { name: "Desk", category: `${cat}/desks` },
      { name: "Chair", category: `${cat}/chairs` },
      { name: "Lamp", category: `${cat}/lamps` },
      { name: "Mat", category: `${cat}/mats` },
    ]);
    const orders = [order(newId("usr"), [desk!, chair!, lamp!]), order(newId("usr"), [desk!, lamp!]), order(newId("usr"), [chair!, mat!])];
    await deliver(orders.map((o) => o.created));
    await deliver(orders.map((o) => o.confirmed));
    const r = await list(`/cart?productIds=${desk!.productId},${chair!.productId}`);
    expect(r.algorithm).toBe("cart-cross-sell");
    expect(ids(r).slice(0, 2)).toEqual([lamp!.productId, mat!.productId]);
    expect(ids(r)).not.toContain(desk!.productId);
    expect(ids(r)).not.toContain(chair!.productId);
  });

  it("refuses bad input with 422 problems", async () => {
    const bad = [
      "/products/not-an-id/also-bought",
      `/products/${newId("prd")}/similar?limit=99999999999999999999`,
      `/products/${newId("prd")}/similar?limit=0`,
      "/trending?category=%00",
      "/trending?category=Bad Path",
      "/cart",
      `/cart?productIds=${newId("prd")}%00`,
      `/cart?productIds=${Array.from({ length: 21 }, () => newId("prd")).join(",")}`,
      "/usr_%00",
    ];
    for (const path of bad) {
      const res = await api(`/api/recommendations${path}`);
      expect(res.status, path).toBe(422);
      expect(res.headers.get("content-type"), path).toContain("application/problem+json");
    }
  });
});

describe("the personal feed", () => {
  it("follows views, cart adds and purchases, leaves out owned (not consumables), sold-out and inactive products", async () => {
    const shopper = await registerAndLogin();
    const me = shopper.userId;
    const cat = `camp-${randomWord()}`;
    const [tent, stakes, stove, gas, fuel, soldOut, archived, tarp] = await catalogue([
      { name: "Tent", category: `${cat}/tents` },
      { name: "Stakes", category: `${cat}/tents` },
      { name: "Stove", category: `${cat}/cooking` },
      { name: "Gas", category: `${cat}/cooking` },
      { name: "Fuel tabs", category: `${cat}/cooking`, tags: ["consumable"] },
      { name: "Sold out mug", category: `${cat}/cooking` },
      { name: "Archived pot", category: `${cat}/cooking` },
      { name: "Tarp", category: `${cat}/tents` },
    ]);
    // Other customers make the pairs: tent-stakes, stove-gas, stove-fuel, stove-mug, stove-pot.
    const others = [
      order(newId("usr"), [tent!, stakes!]),
      order(newId("usr"), [tent!, stakes!]),
      order(newId("usr"), [stove!, gas!, fuel!, soldOut!, archived!]),
      order(newId("usr"), [stove!, gas!, fuel!]),
    ];
    const mine = order(me, [tent!, fuel!]);
    await deliver([...others, mine].map((o) => o.created));
    await deliver([...others, mine].map((o) => o.confirmed));
    await deliver([
      viewed(stove!, me),
      addedToCart(stove!, me),
      stock(soldOut!, 0, 2),
      created({ ...archived!, status: "archived", version: 2 }),
    ]);
    await deliver([viewed(tarp!, null)]); // trending in the shopper's category, bought by nobody

    const feed = await list(`/${me}`, shopper.accessToken);
    expect(feed.algorithm).toBe("personal");
    expect(feed.modelVersion).toMatch(/^personal@1\+/);
    const got = ids(feed);
    expect(got.slice(0, 3).sort()).toEqual([stakes!.productId, gas!.productId, fuel!.productId].sort());
    for (const excluded of [tent!, stove!, soldOut!, archived!]) expect(got).not.toContain(excluded.productId);
    expect(got).toContain(tarp!.productId); // topped up from trending in the shopper's categories
  });

  it("answers the shopper and staff, 404 to another customer, 401 without a token", async () => {
    const [owner, other, support] = await Promise.all([registerAndLogin(), registerAndLogin(), registerAndLogin("support")]);
    const path = `/api/recommendations/${owner.userId}`;
    expect((await api(path, { token: owner.accessToken })).status).toBe(200);
    expect((await api(path, { token: support.accessToken })).status).toBe(200);
    const refused = await api(path, { token: other.accessToken });
    expect(refused.status).toBe(404);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect((await api(path, { token: null })).status).toBe(401);
  });

  it("serves an anonymous-like shopper with no history from trending", async () => {
    const shopper = await registerAndLogin();
    const feed = await list(`/${shopper.userId}?limit=5`, shopper.accessToken);
    expect(feed.items.length).toBeGreaterThan(0);
    expect(feed.items.length).toBeLessThanOrEqual(5);
  });
});

describe("a product the projection learns late", () => {
  it("is recommended once its snapshot and stock arrive", async () => {
    const cat = `late-${randomWord()}`;
    const [known] = await catalogue([{ name: "Known", category: `${cat}/a` }]);
    const late = product({ name: "Late", category: `${cat}/a` });
    expect(ids(await list(`/products/${known!.productId}/similar?limit=3`))).toEqual([]);
    await deliver([created(late), stock(late, 3)]);
    expect(ids(await list(`/products/${known!.productId}/similar?limit=4`))).toEqual([late.productId]);
  });
});
