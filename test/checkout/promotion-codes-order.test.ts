/**
 * Several promotion codes named in the order body (`promotionCodes`), checked
 * again at order time with the cart's stacking rules, and the per-customer
 * limit refused when a used-up code is applied to a signed-in shopper's cart
 * (still counted exactly at checkout when orders race).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { CartBody } from "../../workers/cart/schemas.ts";
import type { OrderView } from "../../workers/orders/index.ts";
import { api } from "../helpers/http.ts";
import { clientIp, uniqueEmail } from "../helpers/identity.ts";
import { ADDRESS, json, type Problem, placeOrder, quiesce, shopper, stocked } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

type Code = { id: string; code: string; uses: number };
const uniqueCode = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`.toUpperCase();
const newCode = async (body: Record<string, unknown>): Promise<Code> =>
  json<Code>(await api("/api/promotions", { method: "POST", json: { kind: "percentage", percentBp: 1000, ...body } }), 201);
const uses = async (id: string) => (await json<Code>(await api(`/api/promotions/${id}`), 200)).uses;
const applyCode = (token: string, code: string) => api("/api/cart/promotions", { method: "POST", token, json: { code } });
const addItem = (token: string, sku: string, quantity: number) =>
  api("/api/cart/items", { method: "POST", token, json: { sku, quantity } });

describe("promotionCodes in the order body", () => {
  it("stacks two combinable codes by priority and takes a use of each", async () => {
    const user = await shopper();
    const { skus } = await stocked([5_000], 5);
    const fixed = await newCode({
      code: uniqueCode("FX"),
      kind: "fixed",
      percentBp: null,
      amountMinor: 1_000,
      currency: "USD",
      combinable: true,
      priority: 5,
    });
    const tenth = await newCode({ code: uniqueCode("TN"), combinable: true, priority: 1 });
    const o = await json<OrderView>(
      await placeOrder(user.accessToken, {
        lines: [{ sku: skus[0], quantity: 2 }],
        promotionCodes: [tenth.code.toLowerCase(), fixed.code],
      }),
      201,
    );
    // 100.00 − 10.00 (the higher priority first) − 10 % of 90.00 = 81.00 (Oregon: no tax).
    expect(o.totals).toMatchObject({ subtotalMinor: 10_000, discountMinor: 1_900, totalMinor: 8_100 });
    expect(o.promotion).toEqual({ code: `${fixed.code}+${tenth.code}`, discountMinor: 1_900 });
    expect([await uses(fixed.id), await uses(tenth.id)]).toEqual([1, 1]);
  });

  it("refuses a non-combinable code sent with others (422, naming it), and duplicate, too many or malformed codes, taking no use", async () => {
    const user = await shopper();
    const { skus } = await stocked([5_000], 5);
    const a = await newCode({ code: uniqueCode("CA"), combinable: true, priority: 1 });
    const b = await newCode({ code: uniqueCode("CB"), combinable: true, priority: 1 });
    const alone = await newCode({ code: uniqueCode("AL"), combinable: false, priority: 0 });
    const lines = [{ sku: skus[0], quantity: 1 }];

    const setAside = await json<Problem>(await placeOrder(user.accessToken, { lines, promotionCodes: [a.code, b.code, alone.code] }), 422);
    expect(setAside.code).toBe("PROMOTION_NOT_APPLICABLE");
    expect(setAside.errors).toEqual([{ field: "promotionCodes[2]", message: expect.stringContaining(alone.code) }]);

    const dup = await json<Problem>(
      await placeOrder(user.accessToken, { lines, promotionCodes: [a.code, b.code, a.code.toLowerCase()] }),
      422,
    );
    expect(dup).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ field: "promotionCodes[2]" }] });
    const both = await json<Problem>(await placeOrder(user.accessToken, { lines, promotionCode: a.code, promotionCodes: [b.code] }), 422);
    expect(both.code).toBe("VALIDATION_FAILED");
    const unknown = await json<Problem>(await placeOrder(user.accessToken, { lines, promotionCodes: [a.code, "NO-SUCH-CODE-9"] }), 422);
    expect(unknown).toMatchObject({ code: "PROMOTION_NOT_APPLICABLE", errors: [{ field: "promotionCodes", message: "no such code" }] });
    const six = Array.from({ length: 6 }, (_, i) => `SIX-${i}-CODE`);
    for (const bad of [six, [], ["bad code\u0000"], "NOT-A-LIST", ["A".repeat(41)]])
      expect((await placeOrder(user.accessToken, { lines, promotionCodes: bad })).status).toBe(422);
    expect([await uses(a.id), await uses(b.id), await uses(alone.id)]).toEqual([0, 0, 0]);

    // The non-combinable code on its own, and the single-code field, still order.
    const o = await json<OrderView>(await placeOrder(user.accessToken, { lines, promotionCodes: [alone.code] }), 201);
    expect(o.promotion).toEqual({ code: alone.code, discountMinor: 500 });
    expect((await placeOrder(user.accessToken, { lines, promotionCode: a.code })).status).toBe(201);
  });
});

describe("promotionCodes in a guest order's body", () => {
  it("stacks the codes named for a guest order as for a customer's", async () => {
    const { skus } = await stocked([5_000], 5);
    const a = await newCode({ code: uniqueCode("GA"), combinable: true, priority: 2 });
    const b = await newCode({ code: uniqueCode("GB"), combinable: true, priority: 1 });
    const added = await api("/api/cart/items", { method: "POST", token: null, json: { sku: skus[0], quantity: 1 } });
    const cookie = /cart_id=([^;]*)/.exec(added.headers.get("set-cookie") ?? "")?.[1];
    const placed = await api("/api/orders/guest", {
      method: "POST",
      token: null,
      json: { shippingAddress: ADDRESS, guestEmail: uniqueEmail("guest-codes"), promotionCodes: [b.code, a.code] },
      headers: { cookie: `cart_id=${cookie}`, "cf-connecting-ip": clientIp() },
    });
    // 50.00 − 10 % (A, priority 2) = 45.00, − 10 % (B) = 40.50.
    expect(await json<OrderView>(placed, 201)).toMatchObject({ totals: { discountMinor: 950, totalMinor: 4_050 } });
    expect([await uses(a.id), await uses(b.id)]).toEqual([1, 1]);
  });
});

describe("the per-customer limit when a code is applied to the cart", () => {
  it("refuses a code the signed-in shopper used up (409) and stores nothing; another shopper applies it", async () => {
    const code = await newCode({ code: uniqueCode("ONE"), perCustomerLimit: 1 });
    const { skus } = await stocked([2_000], 20);
    const user = await shopper();
    await json<CartBody>(await addItem(user.accessToken, skus[0]!, 1), 200);
    // Not used yet: it applies.
    await json<CartBody>(await applyCode(user.accessToken, code.code), 200);
    expect((await api(`/api/cart/promotions/${code.code}`, { method: "DELETE", token: user.accessToken })).status).toBe(200);
    await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCodes: [code.code] }), 201);

    const refused = await json<Problem>(await applyCode(user.accessToken, code.code), 409);
    expect(refused).toMatchObject({ code: "PROMOTION_CUSTOMER_LIMIT", errors: [{ field: "code" }] });
    expect(refused.detail).toContain("1 time(s) per customer");
    expect((await json<CartBody>(await api("/api/cart", { token: user.accessToken }), 200)).promotions).toEqual([]);

    const other = await shopper();
    await json<CartBody>(await addItem(other.accessToken, skus[0]!, 1), 200);
    expect((await json<CartBody>(await applyCode(other.accessToken, code.code), 200)).promotions.map((p) => p.code)).toEqual([code.code]);
  });

  it("still holds the limit exactly at checkout when a shopper's orders race with the code on the cart", async () => {
    const code = await newCode({ code: uniqueCode("RACE"), perCustomerLimit: 1 });
    const { skus } = await stocked([2_000], 20);
    const user = await shopper();
    await json<CartBody>(await addItem(user.accessToken, skus[0]!, 1), 200);
    await json<CartBody>(await applyCode(user.accessToken, code.code), 200);
    const answers = await Promise.all(
      Array.from({ length: 3 }, () =>
        placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCodes: [code.code] }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await uses(code.id)).toBe(1);
  });
});
