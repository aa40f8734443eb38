/**
 * OWASP API3, broken object property level authorization (mass assignment,
 * data a caller should not see), and API5, broken function level
 * authorization (staff routes called by a customer). Each refused attack
 * leaves the resource as it was.
 */
import { describe, expect, it } from "vitest";
import { activeProduct, moderate, postReview, shopper } from "../../workers/reviews/test-fixtures.ts";
import { api } from "../helpers/http.ts";
import { registerAndLogin } from "../helpers/identity.ts";
import { readJson, refusedUnchanged } from "./helpers.ts";

describe("API3 property level authorization", { timeout: 120_000 }, () => {
  it("refuses fields a customer may not set on their own account", async () => {
    const user = await registerAndLogin();
    const read = () => readJson(`/api/users/${user.userId}`, user.accessToken);
    for (const body of [
      { role: "admin" },
      { emailVerified: true },
      { id: "usr_01J0000000000000000000000" },
      { version: 99 },
      { passwordHash: "x" },
      { deletedAt: null },
      { name: "Fine", role: "support" },
    ]) {
      await refusedUnchanged(
        read,
        () => api(`/api/users/${user.userId}`, { method: "PUT", token: user.accessToken, json: body }),
        [403, 422],
        JSON.stringify(body),
      );
    }
  });

  it("does not publish a review author's account id to other readers", async () => {
    const [author, reader] = await Promise.all([shopper(), registerAndLogin()]);
    const productId = await activeProduct();
    const review = await postReview(author, productId, 5);
    expect(review.userId).toBe(author.userId);
    if (review.status !== "approved") expect((await moderate(review.id, "approve")).status).toBe(200);
    for (const token of [null, reader.accessToken]) {
      const seen = (await readJson(`/api/reviews/${review.id}`, token)) as { userId: string | null; authorName: string | null };
      expect(seen.userId).toBeNull();
      expect(seen.authorName).not.toBeNull();
      const page = (await readJson(`/api/reviews?productId=${productId}`, token)) as { items: { userId: string | null }[] };
      expect(page.items.map((r) => r.userId)).toEqual([null]);
    }
    expect(((await readJson(`/api/reviews/${review.id}`, author.accessToken)) as { userId: string }).userId).toBe(author.userId);
  });
});

describe("API5 function level authorization", { timeout: 120_000 }, () => {
  it("answers a customer 403 on staff routes and changes nothing", async () => {
    const customer = await registerAndLogin();
    const sku = `STAFF-${crypto.randomUUID().slice(0, 10).toUpperCase()}`;
    expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 3 } })).status).toBe(200);
    const stock = () => readJson(`/api/inventory/${sku}`, null);
    const users = () => readJson(`/api/users/${customer.userId}`, customer.accessToken);
    const as =
      (path: string, init: RequestInit & { json?: unknown } = {}) =>
      () =>
        api(path, { ...init, token: customer.accessToken });
    const cases: [string, () => Promise<unknown>, () => Promise<Response>][] = [
      ["list accounts", users, as("/api/users")],
      ["make oneself admin", users, as(`/api/users/${customer.userId}`, { method: "PUT", json: { role: "admin" } })],
      ["restock", stock, as(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 100 } })],
      ["adjust stock", stock, as(`/api/inventory/${sku}/adjust`, { method: "POST", json: { delta: -3, reason: "theft" } })],
      ["read the ledger", stock, as(`/api/inventory/${sku}/ledger`)],
      ["read low-stock reports", stock, as("/api/inventory/reports/low-stock")],
      ["bootstrap stock", stock, as("/api/inventory/bootstrap", { method: "POST" })],
      ["read pipeline stats", stock, as("/api/pipeline/stats")],
      ["read the quarantine", stock, as("/api/pipeline/quarantine")],
      ["create a product", stock, as("/api/products", { method: "POST", json: { name: "Rogue", variants: [] } })],
    ];
    for (const [what, read, attack] of cases) await refusedUnchanged(read, attack, [403], what);
  });
});
