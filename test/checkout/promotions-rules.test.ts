/**
 * The rules of promotion codes at checkout over HTTP: buy X get Y (the
 * cheapest units given), codes limited to a category (and the categories
 * below it) or a brand, and the admin routes that read, change and
 * deactivate a code, with their guards and refusals.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { OrderView } from "../../workers/orders/index.ts";
import { json as catalogJson, newBrand, newCategory, newProduct } from "../../workers/products/test-fixtures.ts";
import { api } from "../helpers/http.ts";
import { untilProjected } from "../helpers/stock.ts";
import { json, type Problem, placeOrder, quiesce, shopper, stocked } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

type Code = { id: string; code: string; uses: number; version: number; active: boolean; usageLimit: number | null; priority: number };
const uniqueCode = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`.toUpperCase();
const newCode = async (body: Record<string, unknown>): Promise<Code> =>
  json<Code>(await api("/api/promotions", { method: "POST", json: { kind: "percentage", percentBp: 1000, ...body } }), 201);
const patchCode = (id: string, body: unknown, ifMatch?: string, token?: string) =>
  api(`/api/promotions/${id}`, { method: "PATCH", json: body, token, headers: ifMatch ? { "if-match": ifMatch } : undefined });

/** A product of one variant in a category and of a brand, with stock. */
async function productIn(priceMinor: number, categoryId: string | null, brandId: string | null): Promise<string> {
  const p = await newProduct({ categoryId, brandId, variants: [{ priceMinor }] });
  const sku = p.variants[0]!.sku;
  expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 20 } })).status).toBe(200);
  await untilProjected([sku], 20);
  return sku;
}

describe("buy X, get Y at checkout", () => {
  it("gives the cheapest eligible unit free for every full group", async () => {
    const user = await shopper();
    const { skus } = await stocked([1_500, 1_000], 10);
    const code = await newCode({ code: uniqueCode("B2G1"), kind: "buy_x_get_y", buyQuantity: 2, getQuantity: 1, percentBp: 10_000 });
    const o = await json<OrderView>(
      await placeOrder(user.accessToken, {
        lines: [
          { sku: skus[0], quantity: 2 },
          { sku: skus[1], quantity: 1 },
        ],
        promotionCode: code.code,
      }),
      201,
    );
    // Three units, one group: the 10.00 unit is free; 40.00 before the code is below the free-shipping threshold.
    expect(o.totals).toMatchObject({ subtotalMinor: 4_000, discountMinor: 1_000, shippingMinor: 499, totalMinor: 3_499 });
    expect(o.promotion).toEqual({ code: code.code, discountMinor: 1_000 });
    // Two units are not a full group.
    const short = await json<Problem>(
      await placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 2 }], promotionCode: code.code }),
      422,
    );
    expect(short.detail).toContain("3 eligible units");
  });
});

describe("categories and brands", () => {
  it("discounts only the lines of the category or one below it, and of the brand", async () => {
    const parent = await newCategory();
    const child = await newCategory(undefined, parent.id);
    const brand = await newBrand();
    const inChild = await productIn(2_000, child.id, null);
    const ofBrand = await productIn(3_000, null, brand.id);
    const user = await shopper();
    const lines = [
      { sku: inChild, quantity: 1 },
      { sku: ofBrand, quantity: 1 },
    ];
    const byCategory = await newCode({ code: uniqueCode("CAT"), categoryIds: [parent.id] });
    const o = await json<OrderView>(await placeOrder(user.accessToken, { lines, promotionCode: byCategory.code }), 201);
    expect(o.promotion).toEqual({ code: byCategory.code, discountMinor: 200 });
    expect(o.totals).toMatchObject({ subtotalMinor: 5_000, discountMinor: 200 });
    const byBrand = await newCode({ code: uniqueCode("BRD"), brandIds: [brand.id] });
    const b = await json<OrderView>(await placeOrder(user.accessToken, { lines, promotionCode: byBrand.code }), 201);
    expect(b.promotion).toEqual({ code: byBrand.code, discountMinor: 300 });
    // Nothing of another category: refused.
    const other = await newCategory();
    const none = await newCode({ code: uniqueCode("NONE"), categoryIds: [other.id] });
    expect((await json<Problem>(await placeOrder(user.accessToken, { lines, promotionCode: none.code }), 422)).detail).toContain(
      "eligible",
    );
  });
});

describe("changing and deactivating a code (admin)", () => {
  it("reads with an ETag, changes with If-Match, refuses stale versions and limits below the uses", async () => {
    const code = await newCode({ code: uniqueCode("ADM"), usageLimit: 5 });
    const read = await api(`/api/promotions/${code.id}`);
    expect(read.headers.get("etag")).toBe('"v1"');
    expect(await json<Code>(read, 200)).toMatchObject({ id: code.id, version: 1, active: true, priority: 0 });
    const changed = await json<Code>(await patchCode(code.id, { usageLimit: 10, priority: 3, combinable: true }, '"v1"'), 200);
    expect(changed).toMatchObject({ version: 2, usageLimit: 10, priority: 3 });
    expect((await json<Problem>(await patchCode(code.id, { usageLimit: 7 }, '"v1"'), 409)).code).toBe("PROMOTION_VERSION_CONFLICT");
    // Without If-Match, the change applies to the code as it is.
    expect((await json<Code>(await patchCode(code.id, { usageLimit: 7 }), 200)).version).toBe(3);

    const user = await shopper();
    const { skus } = await stocked([1_000], 5);
    for (let i = 0; i < 2; i++)
      await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code }), 201);
    expect((await json<Problem>(await patchCode(code.id, { usageLimit: 1 }), 409)).code).toBe("PROMOTION_LIMIT_BELOW_USES");
    for (const bad of [
      {},
      { usageLimit: 0 },
      { usageLimit: 1e300 },
      { endsAt: "2001-01-01T00:00:00Z" },
      { active: "yes" },
      { kind: "fixed" },
      { startsAt: "x\u0000" },
    ])
      expect((await patchCode(code.id, bad)).status).toBe(422);
    expect((await patchCode(code.id, { active: false }, "v3")).status).toBe(422);
    expect((await api(`/api/promotions/${code.id}`)).status).toBe(200);
  });

  it("deactivates a code so orders are refused, and brings it back", async () => {
    const code = await newCode({ code: uniqueCode("DEACT") });
    const user = await shopper();
    const { skus } = await stocked([1_000], 5);
    const order = () => placeOrder(user.accessToken, { lines: [{ sku: skus[0], quantity: 1 }], promotionCode: code.code });
    const off = await json<Code>(await api(`/api/promotions/${code.id}`, { method: "DELETE" }), 200);
    expect(off).toMatchObject({ active: false, version: 2 });
    // A repeat changes nothing.
    expect((await json<Code>(await api(`/api/promotions/${code.id}`, { method: "DELETE" }), 200)).version).toBe(2);
    expect((await json<Problem>(await order(), 422)).detail).toContain("not active");
    expect((await json<Code>(await patchCode(code.id, { active: true }, '"v2"'), 200)).active).toBe(true);
    expect((await order()).status).toBe(201);
  });

  it("answers 403 to a customer, 401 without a token and 404 for an unknown code", async () => {
    const code = await newCode({ code: uniqueCode("GUARD") });
    const user = await shopper();
    expect((await api(`/api/promotions/${code.id}`, { token: user.accessToken })).status).toBe(403);
    expect((await patchCode(code.id, { active: false }, undefined, user.accessToken)).status).toBe(403);
    expect((await api(`/api/promotions/${code.id}`, { method: "DELETE", token: user.accessToken })).status).toBe(403);
    expect((await api(`/api/promotions/${code.id}`, { token: null })).status).toBe(401);
    expect((await api(`/api/promotions/${code.id}`)).status).toBe(200);
    const unknown = "prm_00000000000000000000000000";
    expect((await api(`/api/promotions/${unknown}`)).status).toBe(404);
    expect((await patchCode(unknown, { active: false })).status).toBe(404);
    expect((await api(`/api/promotions/${unknown}`, { method: "DELETE" })).status).toBe(404);
    expect((await api("/api/promotions/nope")).status).toBe(422);
    // The customer's attempts changed nothing.
    expect(await json<Code>(await api(`/api/promotions/${code.id}`), 200)).toMatchObject({ active: true, version: 1 });
  });

  it("refuses a buy-X-get-Y code without its quantities", async () => {
    const body = { code: uniqueCode("BXGY"), kind: "buy_x_get_y", percentBp: 10_000 };
    expect((await api("/api/promotions", { method: "POST", json: body })).status).toBe(422);
    expect((await api("/api/promotions", { method: "POST", json: { ...body, buyQuantity: 0, getQuantity: 1 } })).status).toBe(422);
    const made = await catalogJson<Code>(
      await api("/api/promotions", { method: "POST", json: { ...body, buyQuantity: 3, getQuantity: 1 } }),
      201,
    );
    expect(made.code).toBe(body.code);
  });
});
