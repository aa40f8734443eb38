/**
 * The cart's tax estimate: the order's tax provider on the cart's lines after
 * its promotion codes, for a destination; what checkout then charges agrees.
 */
import { afterAll, describe, expect, it } from "vitest";
import { json, placeOrder, quiesce, shopper, stocked } from "../../test/checkout/fixtures.ts";
import { api } from "../../test/helpers/http.ts";
import type { OrderView } from "../orders/index.ts";
import type { CartTaxBody } from "./schemas.ts";

afterAll(() => quiesce(), 30_000);

const estimate = (token: string | null, query: string) => api(`/api/cart/tax?${query}`, { token });
const add = (token: string, sku: string, quantity: number) => api("/api/cart/items", { method: "POST", token, json: { sku, quantity } });

describe("the cart's tax estimate", () => {
  it("takes German VAT out of the price after a 10 % code, as the order then does", async () => {
    const user = await shopper();
    const { skus } = await stocked([11_900], 5, "EUR");
    expect((await add(user.accessToken, skus[0]!, 1)).status).toBe(200);
    const before = await json<CartTaxBody>(await estimate(user.accessToken, "country=de"), 200);
    expect(before).toMatchObject({
      country: "DE",
      regionCode: "DE",
      pricesIncludeTax: true,
      amountMinor: 11_900,
      taxMinor: 1_900,
      totalMinor: 11_900,
    });
    expect(before.lines).toEqual([{ sku: skus[0], amountMinor: 11_900, rateBp: 1_900, taxMinor: 1_900 }]);

    const code = `TAX-${crypto.randomUUID().slice(0, 8)}`.toUpperCase();
    expect((await api("/api/promotions", { method: "POST", json: { code, kind: "percentage", percentBp: 1_000 } })).status).toBe(201);
    expect((await api("/api/cart/promotions", { method: "POST", token: user.accessToken, json: { code } })).status).toBe(200);
    const after = await json<CartTaxBody>(await estimate(user.accessToken, "country=DE"), 200);
    expect(after).toMatchObject({ amountMinor: 10_710, taxMinor: 1_710, totalMinor: 10_710 });

    const order = await json<OrderView>(
      await placeOrder(user.accessToken, {
        shippingAddress: { name: "Grace Hopper", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "de" },
      }),
      201,
    );
    expect(order.totals.taxMinor).toBe(after.taxMinor + (order.tax?.shipping?.taxMinor ?? 0));
  });

  it("adds California's sales tax on top, answers no tax where a destination has none, and refuses a bad destination", async () => {
    const user = await shopper();
    const { skus } = await stocked([10_000], 5, "USD");
    expect((await add(user.accessToken, skus[0]!, 2)).status).toBe(200);
    const ca = await json<CartTaxBody>(await estimate(user.accessToken, "country=US&region=ca"), 200);
    expect(ca).toMatchObject({ regionCode: "US-CA", pricesIncludeTax: false, amountMinor: 20_000, taxMinor: 1_450, totalMinor: 21_450 });
    const oregon = await json<CartTaxBody>(await estimate(user.accessToken, "country=US&region=OR"), 200);
    expect(oregon).toMatchObject({ regionCode: null, taxMinor: 0, totalMinor: 20_000 });
    for (const bad of ["", "country=USA", "country=D%00", "country=US&region=TOOLONG", "country=US&x=1"])
      expect((await estimate(user.accessToken, bad)).status).toBe(422);
    // A guest without a cart gets an empty estimate, not someone else's.
    expect(await json<CartTaxBody>(await estimate(null, "country=US&region=CA"), 200)).toMatchObject({
      lines: [],
      taxMinor: 0,
      currency: null,
    });
  });
});
