/**
 * Promotion codes at checkout over HTTP: the amount off and the tax on what
 * is left, free shipping, refusals that store nothing, the last use raced by
 * many orders (exactly one wins), the per-customer limit, a use given back
 * when an order is cancelled before payment, the usage report, and the
 * admin routes' guards.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { OrderView } from "../../workers/orders/index.ts";
import { api, eventually } from "../helpers/http.ts";
import { cancel, json, type Problem, placeOrder, quiesce, shopper, stocked, stockLevel } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

type Code = { id: string; code: string; uses: number };
type Usage = { uses: number; redemptions: { status: string; orders: number; discountMinor: number }[] };

const uniqueCode = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`.toUpperCase();
async function newCode(body: Record<string, unknown>): Promise<Code> {
  return json<Code>(await api("/api/promotions", { method: "POST", json: { kind: "percentage", percentBp: 1000, ...body } }), 201);
}
const usage = async (id: string) => json<Usage>(await api(`/api/promotions/${id}/usage`), 200);
const SAN_FRANCISCO = { name: "Alan Kay", line1: "1 Market St", city: "San Francisco", region: "ca", postalCode: "94105", country: "us" };

describe("a promotion code at checkout", () => {
  it("takes its percentage off and the California tax is on what is left", async () => {
    const user = await shopper();
    const { skus } = await stocked([4_000], 5);
    const code = await newCode({ code: uniqueCode("TEN") });
    const o = await json<OrderView>(
      await placeOrder(user.accessToken, {
        shippingAddress: SAN_FRANCISCO,
        lines: [{ sku: skus[0], quantity: 2 }],
        promotionCode: code.code.toLowerCase(),
      }),
      201,
    );
    // 80.00 − 10 % = 72.00 (free shipping from 50.00 on the list subtotal); 72.00 × 7.25 % = 5.22.
    expect(o.totals).toMatchObject({ subtotalMinor: 8_000, discountMinor: 800, shippingMinor: 0, taxMinor: 522, totalMinor: 7_722 });
    expect(o.promotion).toEqual({ code: code.code, discountMinor: 800 });
    expect(o.lines[0]).toMatchObject({ taxMinor: 522 });
    expect(await usage(code.id)).toMatchObject({ uses: 1, redemptions: [{ status: "held", orders: 1, discountMinor: 800 }] });
  });

  it("waives the shipping with a free-shipping code", async () => {
    const user = await shopper();
    const { skus } = await stocked([1_000], 5);
    const code = await newCode({ code: uniqueCode("SHIP"), kind: "free_shipping", percentBp: null });
    const o = await json<OrderView>(
      await placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code }),
      201,
    );
    expect(o.totals).toMatchObject({ subtotalMinor: 1_000, shippingMinor: 0, totalMinor: 1_000 });
    expect(o.promotion).toEqual({ code: code.code, discountMinor: 499 });
  });

  it("refuses a code that does not apply with a 422 and stores nothing", async () => {
    const user = await shopper();
    const { skus } = await stocked([1_000], 5);
    const min = await newCode({ code: uniqueCode("MIN"), minSubtotalMinor: 5_000 });
    const unknown = await json<Problem>(
      await placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: "NO-SUCH-CODE-1" }),
      422,
    );
    expect(unknown).toMatchObject({ code: "PROMOTION_NOT_APPLICABLE", errors: [{ field: "promotionCode", message: "no such code" }] });
    const below = await json<Problem>(
      await placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: min.code }),
      422,
    );
    expect(below.detail).toContain("at least 5000");
    expect((await placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: "bad code\u0000" })).status).toBe(
      422,
    );
    expect((await stockLevel(skus[0]!)).reserved).toBe(0);
    expect((await usage(min.id)).uses).toBe(0);
  });
});

describe("limits under concurrency", () => {
  it("gives the last use to exactly one of many concurrent orders; the others keep nothing", async () => {
    const code = await newCode({ code: uniqueCode("LAST"), usageLimit: 1 });
    const { skus } = await stocked([2_000], 20);
    const shoppers = await Promise.all(Array.from({ length: 8 }, () => shopper()));
    const answers = await Promise.all(
      shoppers.map((s) => placeOrder(s.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const refused = await Promise.all(answers.filter((r) => r.status === 409).map((r) => r.json() as Promise<Problem>));
    expect(new Set(refused.map((p) => p.code))).toEqual(new Set(["PROMOTION_EXHAUSTED"]));
    expect(await usage(code.id)).toMatchObject({ uses: 1, redemptions: [{ status: "held", orders: 1 }] });
    // The losers' stock went back at once: only the winner's unit is held.
    expect((await stockLevel(skus[0]!)).reserved).toBe(1);
  });

  it("holds one customer to the per-customer limit, even when their orders race", async () => {
    const code = await newCode({ code: uniqueCode("ONCE"), perCustomerLimit: 1 });
    const { skus } = await stocked([2_000], 20);
    const user = await shopper();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect((await usage(code.id)).uses).toBe(1);
    const other = await shopper();
    expect((await placeOrder(other.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code })).status).toBe(201);
  });

  it("gives the use back when the order is cancelled before payment, and another shopper takes it", async () => {
    const code = await newCode({ code: uniqueCode("BACK"), usageLimit: 1 });
    const { skus } = await stocked([2_000], 20);
    const first = await shopper();
    const o = await json<OrderView>(
      await placeOrder(first.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code }),
      201,
    );
    const second = await shopper();
    expect((await placeOrder(second.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code })).status).toBe(409);
    expect((await cancel(first.accessToken, o.id)).status).toBe(200);
    await eventually(async () => ((await usage(code.id)).uses === 0 ? true : undefined), 20_000, "the use given back");
    expect((await usage(code.id)).redemptions).toEqual([expect.objectContaining({ status: "released", orders: 1 })]);
    expect((await placeOrder(second.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code })).status).toBe(201);
  });
});

describe("promotion codes (admin)", () => {
  it("are for admins only, refuse bad input and a taken code", async () => {
    const user = await shopper();
    const body = { code: uniqueCode("ADM"), kind: "percentage", percentBp: 500 };
    expect((await api("/api/promotions", { method: "POST", json: body, token: user.accessToken })).status).toBe(403);
    expect((await api("/api/promotions", { method: "POST", json: body, token: null })).status).toBe(401);
    expect((await api("/api/promotions", { token: user.accessToken })).status).toBe(403);
    for (const bad of [
      { ...body, percentBp: 10_001 },
      { ...body, code: "x\u0000y" },
      { ...body, kind: "fixed", percentBp: null, amountMinor: 1e300, currency: "USD" },
      { ...body, kind: "fixed", percentBp: null, amountMinor: 100 },
      { ...body, extra: true },
    ])
      expect((await api("/api/promotions", { method: "POST", json: bad })).status).toBe(422);
    const created = await json<Code>(await api("/api/promotions", { method: "POST", json: body }), 201);
    expect((await json<Problem>(await api("/api/promotions", { method: "POST", json: body }), 409)).code).toBe("PROMOTION_CODE_TAKEN");
    const list = await json<{ items: Code[] }>(await api("/api/promotions"), 200);
    expect(list.items.map((c) => c.id)).toContain(created.id);
    expect((await api(`/api/promotions/${created.id}/usage`, { token: user.accessToken })).status).toBe(403);
    expect((await api("/api/promotions/prm_00000000000000000000000000/usage")).status).toBe(404);
  });
});
