/**
 * Tax at checkout over HTTP: Germany (prices include VAT, rounded per rate
 * over the order, shipping taxed, a reduced-rate product), California
 * (sales tax added on top per line, shipping exempt), an untaxed state,
 * refunds that give the tax back, and the admin routes of the tax table.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { OrderView } from "../../workers/orders/index.ts";
import { api } from "../helpers/http.ts";
import { cancel, confirm, json, netCharged, type Problem, placeOrder, quiesce, settle, shopper, stocked } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

const BERLIN = { name: "Grace Hopper", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "de" };
const SAN_FRANCISCO = { name: "Alan Kay", line1: "1 Market St", city: "San Francisco", region: "ca", postalCode: "94105", country: "us" };

const setClass = (productId: string, taxClass: string, token?: string | null) =>
  api(`/api/taxes/products/${productId}`, { method: "PUT", json: { taxClass }, ...(token === undefined ? {} : { token }) });

describe("tax at checkout", () => {
  it("takes German VAT out of the prices at 19 % and 7 %, with the total unchanged", async () => {
    const user = await shopper();
    const standard = await stocked([11_900], 5, "EUR");
    const reduced = await stocked([1_070], 5, "EUR");
    expect((await setClass(reduced.product.id, "reduced")).status).toBe(200);
    const o = await json<OrderView>(
      await placeOrder(user.accessToken, {
        shippingAddress: BERLIN,
        lines: [
          { sku: standard.skus[0], quantity: 1 },
          { sku: reduced.skus[0], quantity: 1 },
        ],
      }),
      201,
    );
    expect(o.totals).toMatchObject({ subtotalMinor: 12_970, shippingMinor: 0, taxMinor: 1_970, totalMinor: 12_970 });
    expect(o.lines.map((l) => [l.taxRateBp, l.taxMinor])).toEqual([
      [1900, 1_900],
      [700, 70],
    ]);
    // Tax inside the price: a unit cost the customer its price (what a shipment records and a return refunds).
    expect(o.lines.map((l) => l.unitPaidMinor)).toEqual([11_900, 1_070]);
    expect(o.tax).toEqual({
      included: true,
      regionCode: "DE",
      provider: "table",
      rounding: "total",
      shipping: null,
      rates: [
        { rateBp: 1900, netMinor: 10_000, taxMinor: 1_900 },
        { rateBp: 700, netMinor: 1_000, taxMinor: 70 },
      ],
    });
  });

  it("taxes German shipping at the standard rate, rounding once per rate and sharing it out", async () => {
    const user = await shopper();
    const { skus } = await stocked([1_190], 5, "EUR");
    const o = await json<OrderView>(
      await placeOrder(user.accessToken, { shippingAddress: BERLIN, lines: [{ sku: skus[0], quantity: 1 }] }),
      201,
    );
    // (1190 + 499) × 19/119 = 269.67 → 270: the line's exact 190, the shipping's 79.67 rounded up to 80.
    expect(o.totals).toMatchObject({ subtotalMinor: 1_190, shippingMinor: 499, taxMinor: 270, totalMinor: 1_689 });
    expect(o.tax.shipping).toEqual({ rateBp: 1900, taxableMinor: 499, taxMinor: 80 });
    expect(o.tax.rates).toEqual([{ rateBp: 1900, netMinor: 1_689 - 270, taxMinor: 270 }]);
  });

  it("adds California sales tax on top per line, leaves shipping untaxed, charges it, and refunds it on cancel", async () => {
    const user = await shopper();
    const { skus } = await stocked([3_000], 5);
    const o = await json<OrderView>(
      await placeOrder(user.accessToken, { shippingAddress: SAN_FRANCISCO, lines: [{ sku: skus[0], quantity: 1 }] }),
      201,
    );
    // 30.00 × 7.25 % = 2.175 → 2.18 (half up); shipping 4.99 below the free threshold, exempt.
    expect(o.totals).toMatchObject({ subtotalMinor: 3_000, shippingMinor: 499, taxMinor: 218, totalMinor: 3_717 });
    expect(o.tax).toMatchObject({ included: false, regionCode: "US-CA", rounding: "line", shipping: null });
    // Tax on top: a unit cost its price plus its share of the line's tax.
    expect(o.lines[0]).toMatchObject({ unitPriceMinor: 3_000, taxMinor: 218, unitPaidMinor: 3_218 });
    const confirmed = await json<OrderView>(await confirm(user.accessToken, o.id), 200);
    expect(confirmed.payment).toMatchObject({ capturedMinor: 3_717 });
    expect((await cancel(user.accessToken, o.id)).status).toBeLessThan(300);
    expect(await settle(o.id)).toBe("cancelled");
    expect(await netCharged(o.id)).toBe(0);
  });

  it("charges no tax where the destination has no rules (Oregon)", async () => {
    const user = await shopper();
    const { skus } = await stocked([3_000], 5);
    const o = await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 2 }] }), 201);
    expect(o.totals).toMatchObject({ taxMinor: 0, totalMinor: 6_000 });
    expect(o.tax).toEqual({ included: false, regionCode: null, provider: null, rounding: null, shipping: null, rates: [] });
  });
});

describe("the tax table (admin)", () => {
  it("prices the next order at a rate changed through the API at once, and none after the region is removed", async () => {
    const user = await shopper();
    const { skus } = await stocked([10_000], 10);
    const luxembourg = { name: "Ada L", line1: "2 Rue du Fort", city: "Luxembourg", postalCode: "L-1009", country: "lu" };
    const rules = { pricesIncludeTax: false, rounding: "line", standardBp: 650, reducedBp: 650, shippingTaxClass: "exempt" };
    const taxOfNextOrder = async () =>
      (
        await json<OrderView>(
          await placeOrder(user.accessToken, { shippingAddress: luxembourg, lines: [{ sku: skus[0], quantity: 1 }] }),
          201,
        )
      ).totals.taxMinor;
    expect(await taxOfNextOrder()).toBe(0); // no rules for Luxembourg yet (and the regions are now in the isolate's copy)
    expect((await api("/api/taxes/regions/LU", { method: "PUT", json: rules })).status).toBe(200);
    expect(await taxOfNextOrder()).toBe(650);
    expect((await api("/api/taxes/regions/LU", { method: "PUT", json: { ...rules, standardBp: 1000 } })).status).toBe(200);
    expect(await taxOfNextOrder()).toBe(1000);
    expect((await api("/api/taxes/regions/LU", { method: "DELETE" })).status).toBe(204);
    expect(await taxOfNextOrder()).toBe(0);
  });

  it("creates, lists, changes and removes a region; products take a class", async () => {
    const code = "LU";
    const body = { pricesIncludeTax: true, rounding: "total", standardBp: 1700, reducedBp: 800, shippingTaxClass: "standard" };
    const put = await json<{ code: string; country: string; region: string | null; version: number }>(
      await api(`/api/taxes/regions/${code}`, { method: "PUT", json: body }),
      200,
    );
    expect(put).toMatchObject({ code, country: "LU", region: null, standardBp: 1700 });
    const again = await json<{ version: number }>(
      await api(`/api/taxes/regions/${code}`, { method: "PUT", json: { ...body, standardBp: 1600 } }),
      200,
    );
    expect(again.version).toBe(put.version + 1);
    const list = await json<{ items: { code: string; standardBp: number }[] }>(await api("/api/taxes/regions"), 200);
    expect(list.items).toContainEqual(expect.objectContaining({ code, standardBp: 1600 }));
    expect(list.items.map((r) => r.code)).toEqual(expect.arrayContaining(["DE", "FR", "US-CA", "US-NY"]));
    expect((await api(`/api/taxes/regions/${code}`, { method: "DELETE" })).status).toBe(204);
    expect((await json<Problem>(await api(`/api/taxes/regions/${code}`, { method: "DELETE" }), 404)).code).toBe("TAX_REGION_NOT_FOUND");
  });

  it("is for admins only and refuses bad input without writing", async () => {
    const user = await shopper();
    const body = { pricesIncludeTax: false, rounding: "line", standardBp: 500, reducedBp: 0, shippingTaxClass: "exempt" };
    expect((await api("/api/taxes/regions/US-ZZ", { method: "PUT", json: body, token: user.accessToken })).status).toBe(403);
    expect((await api("/api/taxes/regions/US-ZZ", { method: "PUT", json: body, token: null })).status).toBe(401);
    expect((await api("/api/taxes/regions", { token: user.accessToken })).status).toBe(403);
    for (const bad of [
      { ...body, standardBp: 10_001 },
      { ...body, standardBp: 1e300 },
      { ...body, rounding: "banker" },
      { ...body, extra: 1 },
    ])
      expect((await api("/api/taxes/regions/US-ZZ", { method: "PUT", json: bad })).status).toBe(422);
    expect((await api("/api/taxes/regions/us-zz\u0000", { method: "PUT", json: body })).status).toBe(422);
    const list = await json<{ items: { code: string }[] }>(await api("/api/taxes/regions"), 200);
    expect(list.items.map((r) => r.code)).not.toContain("US-ZZ");
    const { product } = await stocked([100], 1);
    expect((await setClass(product.id, "reduced", user.accessToken)).status).toBe(403);
    expect((await setClass(product.id, "luxury")).status).toBe(422);
    expect((await setClass("prd_00000000000000000000000000", "reduced")).status).toBe(404);
  });
});
