/** GET /api/inventory/{sku}/holds: each live hold of a SKU with its expiry and holder, for staff only, paged soonest expiry first. */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";

type HoldPage = {
  items: { reservationId: string; sku: string; quantity: number; status: string; expiresAt: string; actor: string }[];
  nextCursor: string | null;
};

const json = async <T>(res: Response) => (await res.json()) as T;

async function hold(sku: string, quantity: number, ttlSeconds: number, login: { accessToken: string }): Promise<string> {
  const res = await api("/api/inventory/reserve", {
    method: "POST",
    token: login.accessToken,
    json: { lines: [{ sku, quantity }], ttlSeconds },
  });
  expect(res.status).toBe(201);
  return (await json<{ reservationId: string }>(res)).reservationId;
}

describe("GET /api/inventory/{sku}/holds", () => {
  it("lists each live hold with its holder, soonest expiry first, pages them, and drops a released one", async () => {
    const sku = `HOLDS-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 20 } })).status).toBe(200);
    const alice = await registerAndLogin();
    const bob = await registerAndLogin();
    const late = await hold(sku, 2, 600, alice);
    const soon = await hold(sku, 3, 120, bob);
    const released = await hold(sku, 1, 300, alice);
    const gone = await api(`/api/inventory/reservations/${released}/release`, { method: "POST", token: alice.accessToken, json: {} });
    expect(gone.status).toBe(200);

    const support = (await registerAndLogin("support")).accessToken;
    const first = await json<HoldPage>(await api(`/api/inventory/${sku}/holds?limit=1`, { token: support }));
    expect(first.items).toEqual([
      expect.objectContaining({ reservationId: soon, sku, quantity: 3, status: "held", actor: `user:${bob.userId}` }),
    ]);
    expect(Date.parse(first.items[0]!.expiresAt)).toBeGreaterThan(Date.now());
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await json<HoldPage>(await api(`/api/inventory/${sku}/holds?limit=1&cursor=${first.nextCursor}`, { token: support }));
    expect(second.items.map((h) => [h.reservationId, h.quantity, h.actor])).toEqual([[late, 2, `user:${alice.userId}`]]);
    expect(second.nextCursor).toBeNull();
    // A SKU nobody stocked has no holds.
    expect(await json<HoldPage>(await api(`/api/inventory/${sku}-NONE/holds`, { token: support }))).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("is for staff: 401 without a token, 403 to a customer, and 422 for a bad SKU, size or cursor", async () => {
    const customer = (await registerAndLogin()).accessToken;
    expect((await api("/api/inventory/ANY-SKU/holds", { token: null })).status).toBe(401);
    const refused = await api("/api/inventory/ANY-SKU/holds", { token: customer });
    expect([refused.status, (await json<{ code: string }>(refused)).code]).toEqual([403, "FORBIDDEN"]);
    const analyst = (await registerAndLogin("analyst")).accessToken;
    expect((await api("/api/inventory/ANY-SKU/holds", { token: analyst })).status).toBe(200);
    for (const path of [
      "bad%20sku!/holds",
      "A%00B/holds",
      "OK/holds?limit=0",
      "OK/holds?limit=99999999999999999999",
      "OK/holds?cursor=garbage",
    ]) {
      const res = await api(`/api/inventory/${path}`, { token: analyst });
      expect([path, res.status]).toEqual([path, 422]);
    }
  });
});
