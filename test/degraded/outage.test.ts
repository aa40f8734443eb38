/**
 * Degraded mode against a real outage: the test Postgres server is killed
 * (SIGKILL) or frozen (SIGSTOP) mid-file and started again. While it is gone
 * the shop keeps browsing (last-good copies, marked stale) and filling carts
 * (last-known prices), and everything else answers 503 DATABASE_UNAVAILABLE
 * with Retry-After within the database port's time budget; afterwards nothing
 * is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CartBody } from "../../workers/cart/schemas.ts";
import { json, newProduct, type ProductBody, uid } from "../../workers/products/test-fixtures.ts";
import { ADDRESS, stockLevel } from "../checkout/fixtures.ts";
import { api } from "../helpers/http.ts";
import { registerAndLogin, type TestUser } from "../helpers/identity.ts";
import { database } from "../helpers/outage.ts";

/** A product listing no cache holds: a price bound no other request uses (the listing refuses unknown parameters). */
const uncachedListing = () => `/api/products?limit=3&maxPrice=${1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)}`;

/** The database port's budget with the default settings: connect (3 s) plus one statement (8 s). */
const BUDGET_MS = 11_000;
type Problem = { status: number; code: string; retryAfterSeconds?: number };
type Stale = { stale?: { since: string; ageSeconds: number; reason: string } };

async function timed(path: string, init?: Parameters<typeof api>[1]): Promise<{ res: Response; ms: number }> {
  const started = Date.now();
  const res = await api(path, init);
  return { res, ms: Date.now() - started };
}

async function expectUnavailable(res: Response): Promise<void> {
  const body = (await res.json()) as Problem;
  expect(res.status, JSON.stringify(body)).toBe(503);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(body.code).toBe("DATABASE_UNAVAILABLE");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

const cart = (user: TestUser, init: Parameters<typeof api>[1] = {}, path = "") =>
  api(`/api/cart${path}`, { ...init, token: user.accessToken });

describe("a database outage", () => {
  let product: ProductBody;
  let shopper: TestUser;
  let a: string;
  let b: string;
  const word = `Outage${uid()}`;

  beforeAll(async () => {
    product = await newProduct({ name: `${word} kettle`, variants: [{ priceMinor: 2500 }, { priceMinor: 1800 }] });
    [a, b] = product.variants.map((v) => v.sku) as [string, string];
    for (const sku of [a, b])
      expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 20 } })).status).toBe(200);
    shopper = await registerAndLogin();
    // The shopper browses: each page seen is kept as a last-good copy (the product page also keeps its SKUs' quotes).
    for (const path of [`/api/products/${product.id}`, "/api/products?limit=5", `/api/search?q=${word}`, "/api/products/brands?limit=5"])
      expect((await api(path, { token: shopper.accessToken })).status, path).toBe(200);
    await json<CartBody>(await cart(shopper, { method: "POST", json: { sku: a, quantity: 1 } }, "/items"), 200);
    // A catalogue write purges the fresh copies (as a stock change does); the last-good copies stay.
    const patched = await api(`/api/products/${product.id}`, {
      method: "PATCH",
      json: { name: `${word} kettle v2` },
      headers: { "if-match": (await api(`/api/products/${product.id}`)).headers.get("etag")! },
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    // The copies are written in the background of the requests above.
    await new Promise((r) => setTimeout(r, 300));
    await database("kill");
  });

  afterAll(() => database("start"));

  it("answers uncached reads and staff routes 503 DATABASE_UNAVAILABLE with Retry-After, within the budget", async () => {
    for (const [path, token] of [
      [uncachedListing(), null],
      ["/api/orders", shopper.accessToken],
      ["/api/analytics/sales?from=2026-01-01&to=2026-01-31", undefined],
      ["/api/reviews?productId=" + product.id, null],
    ] as const) {
      const { res, ms } = await timed(path, { token });
      expect(ms, path).toBeLessThan(BUDGET_MS);
      expect([503, 422], path).toContain(res.status);
      if (res.status === 503) await expectUnavailable(res);
    }
  });

  it("serves the pages a shopper saw, marked stale, even after a write purged them", async () => {
    const page = await api(`/api/products/${product.id}`, { token: null });
    const body = (await page.json()) as ProductBody & Stale;
    expect(page.status, JSON.stringify(body)).toBe(200);
    expect(page.headers.get("x-cache")).toBe("STALE");
    expect(page.headers.get("warning")).toContain("110");
    expect(Number(page.headers.get("age"))).toBeGreaterThanOrEqual(0);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(body.stale).toMatchObject({ reason: "database_unavailable" });
    // The copy from before the write: the purge did not reach it.
    expect(body.name).toBe(`${word} kettle`);

    for (const path of ["/api/products?limit=5", `/api/search?q=${word}`, "/api/products/brands?limit=5"]) {
      const res = await api(path, { token: null });
      const stale = (await res.json()) as Stale;
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-cache"), path).toBe("STALE");
      expect(stale.stale?.reason, path).toBe("database_unavailable");
    }
  });

  it("keeps the cart working on last-known prices, and says they are confirmed at checkout", async () => {
    let body = await json<CartBody>(await cart(shopper, { method: "POST", json: { sku: a, quantity: 2 } }, "/items"), 200);
    expect(body.provisional?.reason).toBe("database_unavailable");
    // b was never in a cart: its price is the one its product page showed.
    body = await json<CartBody>(await cart(shopper, { method: "POST", json: { sku: b, quantity: 1 } }, "/items"), 200);
    expect(body.lines.map((l) => [l.sku, l.quantity, l.unitPrice?.unitPriceMinor])).toEqual([
      [a, 3, 2500],
      [b, 1, 1800],
    ]);
    body = await json<CartBody>(await cart(shopper, { method: "PUT", json: { quantity: 4 } }, `/items/${b}`), 200);
    expect(body.lines.find((l) => l.sku === b)?.quantity).toBe(4);
    body = await json<CartBody>(await cart(shopper, { method: "DELETE" }, `/items/${b}`), 200);
    expect(body.lines.map((l) => l.sku)).toEqual([a]);
    body = await json<CartBody>(await cart(shopper), 200);
    expect(body).toMatchObject({ itemCount: 3, provisional: { reason: "database_unavailable" } });
    // A SKU no page or cart ever priced cannot be priced now.
    await expectUnavailable(await cart(shopper, { method: "POST", json: { sku: `NEVER-${uid()}`, quantity: 1 } }, "/items"));
  });

  it("refuses checkout, sign-in by password or refresh token, and sign-up with 503, and makes nothing", async () => {
    await expectUnavailable(
      await api("/api/orders", {
        method: "POST",
        token: shopper.accessToken,
        json: { shippingAddress: ADDRESS, lines: [{ sku: a, quantity: 1 }] },
      }),
    );
    await expectUnavailable(await api("/api/auth/refresh", { method: "POST", token: null, json: { refreshToken: shopper.refreshToken } }));
    await expectUnavailable(
      await api("/api/auth/login", { method: "POST", token: null, json: { email: shopper.email, password: shopper.password } }),
    );
    await expectUnavailable(
      await api("/api/users/register", {
        method: "POST",
        token: null,
        json: { email: `new-${uid()}@test.example`, password: shopper.password, name: "New Shopper" },
      }),
    );
  });

  it("reports the shop degraded, not down, in /api/health", async () => {
    const res = await api("/api/health", { token: null });
    const body = (await res.json()) as { status: string; mode: string; checks: { postgres: { status: string } } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ status: "degraded", mode: "degraded", checks: { postgres: { status: "down" } } });
  });

  it("bounds a request on a database that accepts connections and never answers (frozen) by the timeout budget", async () => {
    await database("start");
    await database("freeze");
    try {
      const { res, ms } = await timed(uncachedListing(), { token: null });
      expect(ms).toBeLessThan(BUDGET_MS);
      await expectUnavailable(res);
    } finally {
      await database("thaw");
    }
  });

  it("loses nothing: after the restart the cart, stock and orders are exact and checkout works", async () => {
    await database("start");
    const body = await json<CartBody>(await cart(shopper), 200);
    expect(body.provisional).toBeUndefined();
    expect(body.lines.map((l) => [l.sku, l.quantity, l.unitPrice?.unitPriceMinor])).toEqual([[a, 3, 2500]]);
    expect((await stockLevel(a)).available).toBe(20);
    expect((await stockLevel(b)).available).toBe(20);
    const orders = (await json<{ items: unknown[] }>(await api("/api/orders", { token: shopper.accessToken }), 200)).items;
    expect(orders).toEqual([]);
    const placed = await api("/api/orders", {
      method: "POST",
      token: shopper.accessToken,
      json: { shippingAddress: ADDRESS, lines: [{ sku: a, quantity: 1 }] },
    });
    expect(placed.status, await placed.clone().text()).toBe(201);
    const page = await api(`/api/products/${product.id}`, { token: null });
    expect(page.headers.get("x-cache")).not.toBe("STALE");
    expect(((await page.json()) as ProductBody).name).toBe(`${word} kettle v2`);
  });
});
