/**
 * /api/cart over HTTP: prices from the catalogue (never the client),
 * price-change flags, availability refusals, limits, guest carts in a
 * cookie, the merge on sign-in, and two devices editing one cart at once.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { untilProjected } from "../../test/helpers/stock.ts";
import { json, newProduct, type ProductBody, patchProduct } from "../products/test-fixtures.ts";
import type { CartBody } from "./schemas.ts";

type Problem = { status: number; code: string; available?: number; maxLines?: number; maxQuantity?: number };

async function stocked(prices: number[], units = 20): Promise<ProductBody> {
  const product = await newProduct({ variants: prices.map((priceMinor) => ({ priceMinor })) });
  for (const v of product.variants)
    expect((await api(`/api/inventory/${v.sku}/restock`, { method: "POST", json: { quantity: units } })).status).toBe(200);
  // A cart shows the lines it did not just change with the projection's availability.
  await untilProjected(
    product.variants.map((v) => v.sku),
    units,
  );
  return product;
}

const cart = (token: string | null, init: RequestInit & { json?: unknown; cookie?: string } = {}, path = "") =>
  api(`/api/cart${path}`, { ...init, token, headers: init.cookie ? { cookie: `cart_id=${init.cookie}` } : undefined });
const add = (token: string | null, sku: string, quantity: number, cookie?: string) =>
  cart(token, { method: "POST", json: { sku, quantity }, cookie }, "/items");
const guestCookie = (res: Response) => /cart_id=([^;]*)/.exec(res.headers.get("set-cookie") ?? "")?.[1];

describe("a signed-in user's cart", () => {
  it("adds, re-adds, updates, removes and clears, priced by the catalogue", async () => {
    const user = await registerAndLogin();
    const p = await stocked([1500, 900]);
    const [a, b] = p.variants.map((v) => v.sku) as [string, string];
    expect((await json<CartBody>(await cart(user.accessToken), 200)).lines).toEqual([]);

    let body = await json<CartBody>(await add(user.accessToken, a, 2), 200);
    body = await json<CartBody>(await add(user.accessToken, a, 1), 200);
    body = await json<CartBody>(await add(user.accessToken, b, 4), 200);
    expect(body.lines.map((l) => [l.sku, l.quantity, l.unitPrice?.unitPriceMinor, l.lineTotalMinor, l.priceChanged, l.available])).toEqual([
      [a, 3, 1500, 4500, false, 20],
      [b, 4, 900, 3600, false, 20],
    ]);
    expect(body).toMatchObject({
      owner: "user",
      itemCount: 7,
      totals: [{ currency: "USD", itemCount: 7, subtotalMinor: 8100, discountMinor: 0 }],
      priceChanged: false,
    });
    expect(Date.parse(body.expiresAt!)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    body = await json<CartBody>(await cart(user.accessToken, { method: "PUT", json: { quantity: 1 } }, `/items/${b}`), 200);
    expect(body.lines.find((l) => l.sku === b)!.quantity).toBe(1);
    body = await json<CartBody>(await cart(user.accessToken, { method: "DELETE" }, `/items/${a}`), 200);
    expect(body.lines.map((l) => l.sku)).toEqual([b]);
    expect((await json<Problem>(await cart(user.accessToken, { method: "DELETE" }, `/items/${a}`), 404)).code).toBe("LINE_NOT_FOUND");
    body = await json<CartBody>(await cart(user.accessToken, { method: "DELETE" }), 200);
    expect(body).toMatchObject({ lines: [], itemCount: 0, totals: [] });
  });

  it("ignores any price the client sends and flags a line whose price changed since it was added", async () => {
    const user = await registerAndLogin();
    const p = await stocked([2000]);
    const sku = p.variants[0]!.sku;
    // A price in the body is not part of the contract: refused, never used.
    expect((await cart(user.accessToken, { method: "POST", json: { sku, quantity: 1, unitPriceMinor: 1 } }, "/items")).status).toBe(422);
    await json<CartBody>(await add(user.accessToken, sku, 2), 200);
    expect(
      (await patchProduct(p.id, p.version, { variants: [{ sku, priceMinor: 2400, compareAtMinor: null, currency: "USD", options: {} }] }))
        .status,
    ).toBe(200);
    let body = await json<CartBody>(await cart(user.accessToken), 200);
    expect(body.lines[0]).toMatchObject({
      addedUnitPriceMinor: 2000,
      unitPrice: { unitPriceMinor: 2400 },
      lineTotalMinor: 4800,
      priceChanged: true,
    });
    expect(body).toMatchObject({ priceChanged: true, totals: [{ subtotalMinor: 4800 }] });
    // Changing the line is seeing the new price: the flag clears.
    body = await json<CartBody>(await cart(user.accessToken, { method: "PUT", json: { quantity: 3 } }, `/items/${sku}`), 200);
    expect(body.lines[0]).toMatchObject({ quantity: 3, addedUnitPriceMinor: 2400, priceChanged: false });
  });

  it("refuses what is out of stock with the available quantity, and unknown or unsellable SKUs", async () => {
    const user = await registerAndLogin();
    const p = await stocked([500], 3);
    const sku = p.variants[0]!.sku;
    const refused = await json<Problem>(await add(user.accessToken, sku, 4), 409);
    expect(refused).toMatchObject({ code: "INSUFFICIENT_STOCK", available: 3 });
    await json<CartBody>(await add(user.accessToken, sku, 3), 200);
    expect(await json<Problem>(await cart(user.accessToken, { method: "PUT", json: { quantity: 4 } }, `/items/${sku}`), 409)).toMatchObject(
      { code: "INSUFFICIENT_STOCK", available: 3 },
    );
    expect((await json<Problem>(await add(user.accessToken, "NO-SUCH-SKU-1", 1), 422)).code).toBe("UNKNOWN_SKU");
    const draft = await newProduct({ status: "draft" });
    expect((await json<Problem>(await add(user.accessToken, draft.variants[0]!.sku, 1), 409)).code).toBe("SKU_NOT_SELLABLE");
  });

  it("enforces the per-line quantity and the number of lines (configured: 10 and 4 in tests)", async () => {
    const user = await registerAndLogin();
    const p = await stocked([100, 200, 300, 400, 500], 50);
    const skus = p.variants.map((v) => v.sku);
    expect(await json<Problem>(await add(user.accessToken, skus[0]!, 11), 409)).toMatchObject({
      code: "CART_QUANTITY_LIMIT",
      maxQuantity: 10,
    });
    for (const s of skus.slice(0, 4)) await json<CartBody>(await add(user.accessToken, s, 1), 200);
    expect(await json<Problem>(await add(user.accessToken, skus[4]!, 1), 409)).toMatchObject({ code: "CART_LINE_LIMIT", maxLines: 4 });
  });

  it("refuses a service token: a cart belongs to a shopper", async () => {
    expect((await json<Problem>(await api("/api/cart"), 403)).code).toBe("USER_TOKEN_REQUIRED");
  });

  it("stays consistent when two devices edit it at once", async () => {
    const user = await registerAndLogin();
    const p = await stocked([100, 200], 50);
    const [a, b] = p.variants.map((v) => v.sku) as [string, string];
    const phone = Array.from({ length: 6 }, () => add(user.accessToken, a, 1));
    const laptop = Array.from({ length: 6 }, () => add(user.accessToken, b, 2));
    const results = await Promise.all([...phone, ...laptop]);
    // b: 2 units a time against a limit of 10 → five succeed, the sixth is refused.
    expect(results.map((r) => r.status).sort()).toEqual([...Array(11).fill(200), 409]);
    const body = await json<CartBody>(await cart(user.accessToken), 200);
    expect(body.lines.map((l) => [l.sku, l.quantity]).sort()).toEqual(
      [
        [a, 6],
        [b, 10],
      ].sort(),
    );
    expect(body.version).toBe(11);
  });
});

describe("guest carts", () => {
  it("lives in an HttpOnly, Secure, SameSite=Lax cookie set on the first write", async () => {
    const p = await stocked([700]);
    const sku = p.variants[0]!.sku;
    const empty = await cart(null);
    expect(await json<CartBody>(empty, 200)).toMatchObject({ owner: "guest", cartId: null, lines: [] });
    expect(empty.headers.get("set-cookie")).toBeNull();
    const first = await add(null, sku, 1);
    const cookie = guestCookie(first)!;
    // A server-made id and its signature (guest-cart-id.ts).
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const attributes = first.headers.get("set-cookie")!;
    for (const a of ["HttpOnly", "Secure", "SameSite=Lax"]) expect(attributes).toContain(a);
    // The whole API sees it: guest checkout (POST /api/orders/guest) orders this cart.
    expect(attributes).toMatch(/Path=\/api(;|$)/);
    await json<CartBody>(await add(null, sku, 2, cookie), 200);
    expect((await json<CartBody>(await cart(null, { cookie }), 200)).lines).toMatchObject([{ sku, quantity: 3 }]);
    // Another guest (or a forged cookie) sees nothing of it.
    expect((await json<CartBody>(await cart(null, { cookie: "A".repeat(22) }), 200)).lines).toEqual([]);
    expect((await json<CartBody>(await cart(null, { cookie: "not-a-token" }), 200)).lines).toEqual([]);
    // The id without its signature, or with another's, names nothing either.
    expect((await json<CartBody>(await cart(null, { cookie: cookie.split(".")[0]! }), 200)).lines).toEqual([]);
    expect((await json<CartBody>(await cart(null, { cookie: `${cookie.split(".")[0]!}.${"A".repeat(43)}` }), 200)).lines).toEqual([]);
  });

  it("merges into the user's cart on the first signed-in request: quantities add up within limits and stock; the cookie is cleared", async () => {
    const p = await stocked([100, 200, 300], 50);
    const [a, b, c] = p.variants.map((v) => v.sku) as [string, string, string];
    const first = await add(null, a, 4);
    const cookie = guestCookie(first)!;
    await json<CartBody>(await add(null, b, 8, cookie), 200);
    await json<CartBody>(await add(null, c, 1, cookie), 200);

    const user = await registerAndLogin();
    await json<CartBody>(await add(user.accessToken, b, 5), 200);
    const merged = await cart(user.accessToken, { cookie });
    const body = await json<CartBody>(merged, 200);
    expect(body.owner).toBe("user");
    expect(body.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [b, 10],
      [a, 4],
      [c, 1],
    ]);
    expect(body.merged).toEqual([{ sku: b, requested: 13, kept: 10, reason: "QUANTITY_LIMIT" }]);
    expect(merged.headers.get("set-cookie")).toMatch(/cart_id=;.*Max-Age=0/);
    // A retried request with the old cookie adds nothing twice, and the guest cart is gone.
    const again = await json<CartBody>(await cart(user.accessToken, { cookie }), 200);
    expect(again.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [b, 10],
      [a, 4],
      [c, 1],
    ]);
    expect((await json<CartBody>(await cart(null, { cookie }), 200)).lines).toEqual([]);
  });
});
