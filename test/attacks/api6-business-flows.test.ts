/**
 * OWASP API6, unrestricted access to sensitive business flows: holding a
 * SKU's whole stock, and sharing or fixing a guest cart through its cookie.
 * Each refused attack leaves the stock or the cart as it was.
 */
import { describe, expect, it } from "vitest";
import { SHOPPER_HOLDS } from "../../workers/inventory/shopper-holds.ts";
import { newProduct } from "../../workers/products/test-fixtures.ts";
import { api } from "../helpers/http.ts";
import { registerAndLogin } from "../helpers/identity.ts";
import { problemCode, readJson, refusedUnchanged } from "./helpers.ts";

const sku = () => `HOARD-${crypto.randomUUID().slice(0, 10).toUpperCase()}`;
const reserve = (token: string, body: unknown) => api("/api/inventory/reserve", { method: "POST", token, json: body });
const guestCookie = (res: Response) => /cart_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
const cartWith = (cookie: string | null, init: RequestInit & { json?: unknown } = {}, path = "", token: string | null = null) =>
  api(`/api/cart${path}`, { ...init, token, headers: cookie ? { cookie: `cart_id=${cookie}` } : undefined });

describe("API6 business flows", { timeout: 120_000 }, () => {
  it("keeps a customer from hoarding stock: units, lines, hold length and extensions are capped", async () => {
    const shopper = await registerAndLogin();
    const s = sku();
    expect((await api(`/api/inventory/${s}/restock`, { method: "POST", json: { quantity: 500 } })).status).toBe(200);
    const level = () => readJson(`/api/inventory/${s}`, null);
    const cases: [string, unknown][] = [
      ["the whole stock", { lines: [{ sku: s, quantity: 500 }] }],
      ["one unit over the cap", { lines: [{ sku: s, quantity: SHOPPER_HOLDS.maxQuantityPerSku + 1 }] }],
      [
        "the cap split over two lines of one SKU",
        {
          lines: [
            { sku: s, quantity: 6 },
            { sku: s, quantity: 6 },
          ],
        },
      ],
      ["a day-long hold", { lines: [{ sku: s, quantity: 1 }], ttlSeconds: 86_400 }],
      ["too many SKUs", { lines: Array.from({ length: SHOPPER_HOLDS.maxLines + 1 }, () => ({ sku: sku(), quantity: 1 })) }],
    ];
    for (const [what, body] of cases) {
      const res = await refusedUnchanged(level, () => reserve(shopper.accessToken, body), [422], what);
      expect(await problemCode(res)).toBe("HOLD_LIMIT");
    }
    // A small hold is fine, but it cannot be stretched past the total hold length.
    const held = await reserve(shopper.accessToken, { lines: [{ sku: s, quantity: 2 }], ttlSeconds: 600 });
    expect(held.status).toBe(201);
    const { reservationId } = (await held.json()) as { reservationId: string };
    const hold = () => readJson(`/api/inventory/reservations/${reservationId}`, shopper.accessToken);
    await refusedUnchanged(
      hold,
      () =>
        api(`/api/inventory/reservations/${reservationId}/extend`, {
          method: "POST",
          token: shopper.accessToken,
          json: { ttlSeconds: 86_400 },
        }),
      [422],
      "extend for a day",
    );
    // Staff are not limited (the operations token here).
    expect(
      (await api("/api/inventory/reserve", { method: "POST", json: { lines: [{ sku: s, quantity: 100 }], ttlSeconds: 3600 } })).status,
    ).toBe(201);
  });

  it("rate-limits a customer's new holds", async () => {
    const shopper = await registerAndLogin();
    const s = sku();
    expect((await api(`/api/inventory/${s}/restock`, { method: "POST", json: { quantity: 500 } })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i <= SHOPPER_HOLDS.perWindow.limit; i++)
      statuses.push((await reserve(shopper.accessToken, { lines: [{ sku: s, quantity: 1 }] })).status);
    expect(statuses).toEqual([...Array<number>(SHOPPER_HOLDS.perWindow.limit).fill(201), 429]);
    expect(((await readJson(`/api/inventory/${s}`, null)) as { reserved: number }).reserved).toBe(SHOPPER_HOLDS.perWindow.limit);
  });

  it("never accepts a client-chosen guest cart id, and rotates the guest cart away on sign-in", async () => {
    const product = await newProduct();
    const item = product.variants[0]!.sku;
    expect((await api(`/api/inventory/${item}/restock`, { method: "POST", json: { quantity: 20 } })).status).toBe(200);

    // A chosen id (the old format) and a forged signature name no cart: the write gets a server-made id instead.
    for (const chosen of ["AAAAAAAAAAAAAAAAAAAAAA", `AAAAAAAAAAAAAAAAAAAAAA.${"A".repeat(43)}`]) {
      const res = await cartWith(chosen, { method: "POST", json: { sku: item, quantity: 1 } }, "/items");
      expect(res.status).toBe(200);
      const issued = guestCookie(res);
      expect(issued).toBeDefined();
      expect(issued!.startsWith(chosen.slice(0, 22))).toBe(false);
      // Another client presenting the chosen id sees nothing of it.
      expect(((await (await cartWith(chosen)).json()) as { lines: unknown[] }).lines).toEqual([]);
    }

    // A cookie the server issued, planted in a victim's browser: the victim signs in, the guest cart moves into theirs,
    // and the planted cookie names an empty cart from then on.
    const planted = guestCookie(await cartWith(null, { method: "POST", json: { sku: item, quantity: 1 } }, "/items"))!;
    const victim = await registerAndLogin();
    const merged = await cartWith(planted, {}, "", victim.accessToken);
    expect(merged.headers.get("set-cookie")).toMatch(/cart_id=;|Max-Age=0/);
    await cartWith(null, { method: "POST", json: { sku: item, quantity: 2 } }, "/items", victim.accessToken);
    const attackerView = (await (await cartWith(planted)).json()) as { lines: unknown[] };
    expect(attackerView.lines).toEqual([]);
    const victimView = (await readJson("/api/cart", victim.accessToken)) as { lines: { quantity: number }[] };
    expect(victimView.lines.map((l) => l.quantity)).toEqual([3]);
  });
});
