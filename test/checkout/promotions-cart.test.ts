/**
 * Promotion codes on the cart over HTTP: applied and removed (users and
 * guests), checked with the rules of checkout, shown with their discount or
 * why they stopped applying, and taken by checkout when the order names no
 * code: stacked codes with the tax on what is left (and both uses given back
 * on cancel), a non-combinable code
 * chosen alone, and a cart code used up by another order at checkout.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { CartBody } from "../../workers/cart/schemas.ts";
import type { OrderView } from "../../workers/orders/index.ts";
import { api, eventually } from "../helpers/http.ts";
import { cancel, json, type Problem, placeOrder, quiesce, shopper, stocked } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

type Code = { id: string; code: string; uses: number };
const uniqueCode = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`.toUpperCase();
const newCode = async (body: Record<string, unknown>): Promise<Code> =>
  json<Code>(await api("/api/promotions", { method: "POST", json: { kind: "percentage", percentBp: 1000, ...body } }), 201);
const uses = async (id: string) => (await json<Code>(await api(`/api/promotions/${id}`), 200)).uses;

const cartCall = (token: string | null, path: string, init: RequestInit & { json?: unknown } = {}, cookie?: string) =>
  api(`/api/cart${path}`, { ...init, token, headers: cookie ? { cookie: `cart_id=${cookie}` } : undefined });
const addItem = (token: string | null, sku: string, quantity: number, cookie?: string) =>
  cartCall(token, "/items", { method: "POST", json: { sku, quantity } }, cookie);
const applyCode = (token: string | null, code: string, cookie?: string) =>
  cartCall(token, "/promotions", { method: "POST", json: { code } }, cookie);
const removeCode = (token: string | null, code: string, cookie?: string) =>
  cartCall(token, `/promotions/${encodeURIComponent(code)}`, { method: "DELETE" }, cookie);
const SAN_FRANCISCO = { name: "Alan Kay", line1: "1 Market St", city: "San Francisco", region: "ca", postalCode: "94105", country: "us" };

describe("codes on a cart", () => {
  it("applies a code to a user's cart with its discount now, refuses one that does not apply, and removes it", async () => {
    const user = await shopper();
    const { skus } = await stocked([4_000], 5);
    const code = await newCode({ code: uniqueCode("TEN") });
    // An empty cart has nothing a code could apply to.
    expect((await json<Problem>(await applyCode(user.accessToken, code.code), 422)).code).toBe("PROMOTION_NOT_APPLICABLE");
    await json<CartBody>(await addItem(user.accessToken, skus[0]!, 2), 200);

    let cart = await json<CartBody>(await applyCode(user.accessToken, code.code.toLowerCase()), 200);
    expect(cart.promotions).toEqual([{ code: code.code, applies: true, discountMinor: 800, freeShipping: false, reason: null }]);
    expect(cart.promotionDiscountMinor).toBe(800);
    // Applying it again changes nothing.
    cart = await json<CartBody>(await applyCode(user.accessToken, code.code), 200);
    expect(cart.promotions).toHaveLength(1);

    const unknown = await json<Problem>(await applyCode(user.accessToken, "NO-SUCH-CODE-2"), 422);
    expect(unknown).toMatchObject({ code: "PROMOTION_NOT_APPLICABLE", errors: [{ field: "code", message: "no such code" }] });
    const min = await newCode({ code: uniqueCode("MIN"), minSubtotalMinor: 100_000 });
    expect((await json<Problem>(await applyCode(user.accessToken, min.code), 422)).detail).toContain("at least 100000");
    for (const bad of ["x", "bad code\u0000", "A".repeat(41)]) expect((await applyCode(user.accessToken, bad)).status).toBe(422);
    expect((await cartCall(user.accessToken, "/promotions", { method: "POST", json: { code: code.code, extra: 1 } })).status).toBe(422);
    // The refusals stored nothing.
    expect((await json<CartBody>(await cartCall(user.accessToken, ""), 200)).promotions.map((p) => p.code)).toEqual([code.code]);

    cart = await json<CartBody>(await removeCode(user.accessToken, code.code), 200);
    expect(cart).toMatchObject({ promotions: [], promotionDiscountMinor: 0 });
    expect((await json<Problem>(await removeCode(user.accessToken, code.code), 404)).code).toBe("PROMOTION_NOT_ON_CART");
  });

  it("applies and removes codes on a guest cart, and holds at most five", async () => {
    const { skus } = await stocked([2_000], 5);
    const added = await addItem(null, skus[0]!, 1);
    const cookie = /cart_id=([^;]*)/.exec(added.headers.get("set-cookie") ?? "")?.[1];
    expect(cookie).toBeTruthy();
    const codes = await Promise.all(Array.from({ length: 6 }, (_, i) => newCode({ code: uniqueCode(`G${i}`), combinable: true })));
    for (const c of codes.slice(0, 5)) await json<CartBody>(await applyCode(null, c.code, cookie), 200);
    expect((await json<Problem>(await applyCode(null, codes[5]!.code, cookie), 409)).code).toBe("PROMOTION_CODE_LIMIT");
    const cart = await json<CartBody>(await cartCall(null, "", {}, cookie), 200);
    expect(cart.owner).toBe("guest");
    // Five combinable 10 % codes, each on what the ones before left: 2000 → 1800 → 1620 → 1458 → 1313 (rounded down) → 1182.
    expect(cart.promotionDiscountMinor).toBe(818);
    expect(cart.promotions.every((p) => p.applies)).toBe(true);
    expect((await json<CartBody>(await removeCode(null, codes[0]!.code, cookie), 200)).promotions).toHaveLength(4);
    // Another guest (no cookie) has no cart and so no code to remove.
    expect((await removeCode(null, codes[1]!.code)).status).toBe(404);
  });

  it("keeps a guest's codes when the guest signs in and the carts merge", async () => {
    const { skus } = await stocked([2_000], 5);
    const added = await addItem(null, skus[0]!, 1);
    const cookie = /cart_id=([^;]*)/.exec(added.headers.get("set-cookie") ?? "")?.[1];
    const code = await newCode({ code: uniqueCode("GUEST") });
    await json<CartBody>(await applyCode(null, code.code, cookie), 200);
    const user = await shopper();
    const merged = await json<CartBody>(await cartCall(user.accessToken, "", {}, cookie), 200);
    expect(merged).toMatchObject({ owner: "user", promotionDiscountMinor: 200 });
    expect(merged.promotions.map((p) => [p.code, p.applies])).toEqual([[code.code, true]]);
  });

  it("keeps a code that stopped applying on the cart, says why, and checkout refuses it", async () => {
    const user = await shopper();
    const { skus } = await stocked([3_000], 5);
    const code = await newCode({ code: uniqueCode("OFF") });
    await json<CartBody>(await addItem(user.accessToken, skus[0]!, 1), 200);
    await json<CartBody>(await applyCode(user.accessToken, code.code), 200);
    expect((await api(`/api/promotions/${code.id}`, { method: "DELETE" })).status).toBe(200);
    const cart = await json<CartBody>(await cartCall(user.accessToken, ""), 200);
    expect(cart.promotions).toEqual([
      { code: code.code, applies: false, discountMinor: 0, freeShipping: false, reason: "the code is not active" },
    ]);
    const refused = await json<Problem>(await placeOrder(user.accessToken, {}), 422);
    expect(refused.code).toBe("PROMOTION_NOT_APPLICABLE");
    expect((await json<CartBody>(await cartCall(user.accessToken, ""), 200)).lines).toHaveLength(1);
  });
});

describe("checkout with the cart's codes", () => {
  it("stacks two combinable codes by priority, with the tax on what is left, and takes a use of each", async () => {
    const user = await shopper();
    const { skus } = await stocked([5_000], 5);
    const fixed = await newCode({
      code: uniqueCode("FIX"),
      kind: "fixed",
      percentBp: null,
      amountMinor: 2_000,
      currency: "USD",
      combinable: true,
      priority: 2,
    });
    const tenth = await newCode({ code: uniqueCode("TENTH"), combinable: true, priority: 1 });
    await json<CartBody>(await addItem(user.accessToken, skus[0]!, 2), 200);
    await json<CartBody>(await applyCode(user.accessToken, tenth.code), 200);
    const cart = await json<CartBody>(await applyCode(user.accessToken, fixed.code), 200);
    expect(cart.promotions.map((p) => [p.code, p.applies, p.discountMinor])).toEqual([
      [tenth.code, true, 800],
      [fixed.code, true, 2_000],
    ]);

    const o = await json<OrderView>(await placeOrder(user.accessToken, { shippingAddress: SAN_FRANCISCO }), 201);
    // 100.00 − 20.00 (the higher priority first) − 10 % of 80.00 = 72.00; 72.00 × 7.25 % = 5.22.
    expect(o.totals).toMatchObject({ subtotalMinor: 10_000, discountMinor: 2_800, shippingMinor: 0, taxMinor: 522, totalMinor: 7_722 });
    expect(o.promotion).toEqual({ code: `${fixed.code}+${tenth.code}`, discountMinor: 2_800 });
    expect(o.lines[0]).toMatchObject({ quantity: 2, taxMinor: 522 });
    expect([await uses(fixed.id), await uses(tenth.id)]).toEqual([1, 1]);
    // The codes went into the order with the lines.
    expect(await json<CartBody>(await cartCall(user.accessToken, ""), 200)).toMatchObject({ lines: [], promotions: [] });
    // Cancelled before payment: both uses go back.
    expect((await cancel(user.accessToken, o.id)).status).toBe(200);
    await eventually(
      async () => ((await uses(fixed.id)) + (await uses(tenth.id)) === 0 ? true : undefined),
      20_000,
      "both uses given back",
    );
  });

  it("chooses a non-combinable code of higher priority alone and leaves the other unused", async () => {
    const user = await shopper();
    const { skus } = await stocked([2_000], 5);
    const big = await newCode({ code: uniqueCode("BIG"), percentBp: 2_000, combinable: false, priority: 5 });
    const small = await newCode({ code: uniqueCode("SMALL"), combinable: true });
    await json<CartBody>(await addItem(user.accessToken, skus[0]!, 3), 200);
    await json<CartBody>(await applyCode(user.accessToken, small.code), 200);
    const cart = await json<CartBody>(await applyCode(user.accessToken, big.code), 200);
    expect(cart.promotions).toEqual([
      { code: small.code, applies: false, discountMinor: 0, freeShipping: false, reason: `${big.code} applies alone` },
      { code: big.code, applies: true, discountMinor: 1_200, freeShipping: false, reason: null },
    ]);
    const o = await json<OrderView>(await placeOrder(user.accessToken, {}), 201);
    expect(o.promotion).toEqual({ code: big.code, discountMinor: 1_200 });
    expect(o.totals).toMatchObject({ subtotalMinor: 6_000, discountMinor: 1_200 });
    expect([await uses(big.id), await uses(small.id)]).toEqual([1, 0]);
  });

  it("gives the last uses of two stacked codes to exactly one of several racing carts, without deadlock", async () => {
    const { skus } = await stocked([2_000], 20);
    const one = await newCode({ code: uniqueCode("RACEA"), usageLimit: 1, combinable: true, priority: 1 });
    const two = await newCode({ code: uniqueCode("RACEB"), usageLimit: 1, combinable: true });
    const shoppers = await Promise.all(Array.from({ length: 4 }, () => shopper()));
    for (const s of shoppers) {
      await json<CartBody>(await addItem(s.accessToken, skus[0]!, 1), 200);
      await json<CartBody>(await applyCode(s.accessToken, two.code), 200);
      await json<CartBody>(await applyCode(s.accessToken, one.code), 200);
    }
    const answers = await Promise.all(shoppers.map((s) => placeOrder(s.accessToken, {})));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect([await uses(one.id), await uses(two.id)]).toEqual([1, 1]);
  });

  it("refuses the cart's code with 409 when another order took its last use meanwhile", async () => {
    const { skus } = await stocked([2_000], 5);
    const code = await newCode({ code: uniqueCode("ONE"), usageLimit: 1 });
    const slow = await shopper();
    await json<CartBody>(await addItem(slow.accessToken, skus[0]!, 1), 200);
    await json<CartBody>(await applyCode(slow.accessToken, code.code), 200);
    const fast = await shopper();
    await json<OrderView>(await placeOrder(fast.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code }), 201);
    const cart = await json<CartBody>(await cartCall(slow.accessToken, ""), 200);
    expect(cart.promotions[0]).toMatchObject({ applies: false, reason: "the code has been used up" });
    expect((await json<Problem>(await placeOrder(slow.accessToken, {}), 409)).code).toBe("PROMOTION_EXHAUSTED");
    // A used-up code cannot be applied either.
    const other = await shopper();
    await json<CartBody>(await addItem(other.accessToken, skus[0]!, 1), 200);
    expect((await json<Problem>(await applyCode(other.accessToken, code.code), 409)).code).toBe("PROMOTION_EXHAUSTED");
  });
});
