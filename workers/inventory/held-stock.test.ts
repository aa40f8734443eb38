/** GET /api/inventory/reservations: stock held by live reservations, for staff only, most held first, with totals and a SKU filter. */
import { describe, expect, it } from "vitest";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";

type HeldPage = {
  totals: { skus: number; units: number };
  items: { sku: string; reserved: number; onHand: number; available: number }[];
  nextCursor: string | null;
};

const json = async <T>(res: Response) => (await res.json()) as T;

async function stockedAndHeld(prefix: string, onHand: number, held: number, token: string): Promise<string> {
  const sku = `${prefix}-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
  expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: onHand } })).status).toBe(200);
  const res = await api("/api/inventory/reserve", { method: "POST", token, json: { lines: [{ sku, quantity: held }] } });
  expect(res.status).toBe(201);
  return sku;
}

describe("GET /api/inventory/reservations", () => {
  it("lists the SKUs with units held, most held first, pages them, and totals the filter", async () => {
    const shopper = (await registerAndLogin()).accessToken;
    const prefix = `HELD${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
    const skus = [
      await stockedAndHeld(prefix, 10, 2, shopper),
      await stockedAndHeld(prefix, 10, 5, shopper),
      await stockedAndHeld(prefix, 10, 3, shopper),
    ];
    // Stock nobody holds is not listed.
    expect((await api(`/api/inventory/${prefix}-FREE/restock`, { method: "POST", json: { quantity: 4 } })).status).toBe(200);
    const support = (await registerAndLogin("support")).accessToken;
    const first = await eventually(
      async () => {
        const page = await json<HeldPage>(await api(`/api/inventory/reservations?sku=${prefix}&limit=2`, { token: support }));
        return page.totals.skus === 3 ? page : undefined;
      },
      15_000,
      "the projection to show the three holds",
    );
    expect(first.totals).toEqual({ skus: 3, units: 10 });
    expect(first.items).toEqual([
      expect.objectContaining({ sku: skus[1], reserved: 5, onHand: 10, available: 5 }),
      expect.objectContaining({ sku: skus[2], reserved: 3 }),
    ]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await json<HeldPage>(
      await api(`/api/inventory/reservations?sku=${prefix}&limit=2&cursor=${first.nextCursor}`, { token: support }),
    );
    expect(second.items.map((i) => [i.sku, i.reserved])).toEqual([[skus[0], 2]]);
    expect(second.nextCursor).toBeNull();
    // One SKU: the filter is a prefix, so the whole SKU finds itself.
    const one = await json<HeldPage>(await api(`/api/inventory/reservations?sku=${skus[2]}`));
    expect(one).toMatchObject({ totals: { skus: 1, units: 3 }, items: [{ sku: skus[2], reserved: 3 }] });
  });

  it("is for staff: 401 without a token, 403 to a customer, and 422 for a bad filter, size or cursor", async () => {
    const customer = (await registerAndLogin()).accessToken;
    expect((await api("/api/inventory/reservations", { token: null })).status).toBe(401);
    const refused = await api("/api/inventory/reservations", { token: customer });
    expect([refused.status, (await json<{ code: string }>(refused)).code]).toEqual([403, "FORBIDDEN"]);
    const analyst = (await registerAndLogin("analyst")).accessToken;
    expect((await api("/api/inventory/reservations", { token: analyst })).status).toBe(200);
    for (const query of ["sku=bad%20sku!", "sku=A%00B", "limit=0", "limit=101", "limit=99999999999999999999", "cursor=garbage"]) {
      const res = await api(`/api/inventory/reservations?${query}`, { token: analyst });
      expect([query, res.status]).toEqual([query, 422]);
    }
  });
});
