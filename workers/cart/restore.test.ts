/**
 * POST /api/cart/restore: a cart reminder's signed token puts the abandoned
 * cart's lines back into its user's cart, once; a tampered, expired or
 * malformed token is refused with 422 and another user's with 404, and a
 * refusal changes nothing.
 */
import { describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { outboxEvents, registerAndLogin } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import { json, newProduct } from "../products/test-fixtures.ts";
import { signRestoreToken } from "./restore-token.ts";
import type { CartBody } from "./schemas.ts";

type Problem = { status: number; code: string };

const restore = (token: string | null, body: unknown) => api("/api/cart/restore", { method: "POST", token, json: body });
const readCart = async (token: string) => json<CartBody>(await api("/api/cart", { token }), 200);

async function setup() {
  const user = await registerAndLogin();
  const product = await newProduct({ variants: [{ priceMinor: 1500 }, { priceMinor: 900 }] });
  for (const v of product.variants)
    expect((await api(`/api/inventory/${v.sku}/restock`, { method: "POST", json: { quantity: 20 } })).status).toBe(200);
  const [a, b] = product.variants.map((v) => v.sku) as [string, string];
  const grant = (userId: string, expiresAt = new Date(Date.now() + 3600_000)) =>
    signRestoreToken(testEnv, {
      userId,
      cartId: newId("crt"),
      expiresAt,
      lines: [
        { sku: a, quantity: 2, unitPriceMinor: 1500, currency: "USD" },
        { sku: b, quantity: 1, unitPriceMinor: 900, currency: "USD" },
      ],
    });
  return { user, a, b, grant };
}

describe("restoring an abandoned cart", () => {
  it("adds the token's lines to the user's cart and announces one CartRecovered; a second restore adds nothing", async () => {
    const { user, a, b, grant } = await setup();
    const token = await grant(user.userId);
    const first = await json<CartBody>(await restore(user.accessToken, { token }), 200);
    expect(first.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [a, 2],
      [b, 1],
    ]);
    const again = await json<CartBody>(await restore(user.accessToken, { token }), 200);
    expect(again.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [a, 2],
      [b, 1],
    ]);
    const recovered = await outboxEvents(first.cartId!, "CartRecovered");
    expect(recovered.map((e) => e.payload)).toEqual([
      { cartId: first.cartId, abandonedCartId: expect.stringMatching(/^crt_/), userId: user.userId, itemCount: 3 },
    ]);
  });

  it("refuses tampered, expired and malformed tokens with 422, another user's with 404, a guest with 401, and changes nothing", async () => {
    const { user, grant } = await setup();
    const other = await registerAndLogin();
    const token = await grant(user.userId);
    const [payload, sig] = token.split(".") as [string, string];
    const flipped = `${payload.slice(0, -2)}${payload.at(-2) === "A" ? "B" : "A"}${payload.at(-1)}.${sig}`;
    const cases: [string | null, unknown, number, string | undefined][] = [
      [user.accessToken, { token: flipped }, 422, "RESTORE_TOKEN_INVALID"],
      [user.accessToken, { token: `${payload}.${"A".repeat(43)}` }, 422, "RESTORE_TOKEN_INVALID"],
      [user.accessToken, { token: await grant(user.userId, new Date(Date.now() - 1000)) }, 422, "RESTORE_TOKEN_EXPIRED"],
      [user.accessToken, { token: "not a token\u0000" }, 422, undefined],
      [user.accessToken, { token: "not.a-token" }, 422, "RESTORE_TOKEN_INVALID"],
      [user.accessToken, { token: "x".repeat(20_000) }, 422, undefined],
      [user.accessToken, { token: 42 }, 422, undefined],
      [user.accessToken, {}, 422, undefined],
      [other.accessToken, { token }, 404, "RESTORE_TOKEN_NOT_FOUND"],
      [null, { token }, 401, undefined],
    ];
    for (const [bearer, body, status, code] of cases) {
      const res = await restore(bearer, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      if (code) expect(((await res.json()) as Problem).code).toBe(code);
    }
    expect((await readCart(user.accessToken)).lines).toEqual([]);
    expect((await readCart(other.accessToken)).lines).toEqual([]);
  });
});
