/** GET /api/inventory/levels: every SKU's level for staff, by SKU prefix and status, sorted by SKU or emptiest first, paged. */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { untilProjected } from "../../test/helpers/stock.ts";

type LevelPage = { items: { sku: string; available: number; status: string; lowStockThreshold: number }[]; nextCursor: string | null };
const json = async <T>(res: Response) => (await res.json()) as T;

describe("GET /api/inventory/levels", () => {
  it("finds SKUs by prefix, filters them by status, sorts and pages them", async () => {
    const prefix = `LVL${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
    // Thresholds are 5 by default: 12 is in stock, 3 is low, 0 (received then taken away) is out.
    const units: Record<string, number> = { [`${prefix}-A`]: 12, [`${prefix}-B`]: 3, [`${prefix}-C`]: 2 };
    for (const [sku, quantity] of Object.entries(units))
      expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity } })).status).toBe(200);
    expect((await api(`/api/inventory/${prefix}-C/adjust`, { method: "POST", json: { delta: -2, reason: "count" } })).status).toBe(200);
    await untilProjected([`${prefix}-A`], 12);
    await untilProjected([`${prefix}-B`], 3);
    await untilProjected([`${prefix}-C`], 0);
    const analyst = (await registerAndLogin("analyst")).accessToken;
    const get = async (query: string) => json<LevelPage>(await api(`/api/inventory/levels?sku=${prefix}&${query}`, { token: analyst }));

    const first = await get("limit=2");
    expect(first.items.map((i) => [i.sku, i.available, i.status])).toEqual([
      [`${prefix}-A`, 12, "in_stock"],
      [`${prefix}-B`, 3, "low_stock"],
    ]);
    const second = await get(`limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({
      items: [expect.objectContaining({ sku: `${prefix}-C`, available: 0, status: "out_of_stock" })],
      nextCursor: null,
    });

    expect((await get("sort=available")).items.map((i) => i.sku)).toEqual([`${prefix}-C`, `${prefix}-B`, `${prefix}-A`]);
    const emptiest = await get("sort=available&limit=1");
    expect((await get(`sort=available&limit=1&cursor=${emptiest.nextCursor}`)).items.map((i) => i.sku)).toEqual([`${prefix}-B`]);
    for (const status of ["in_stock", "low_stock", "out_of_stock"])
      expect((await get(`status=${status}`)).items.map((i) => i.status)).toEqual([status]);
  });

  it("is for staff: 401 without a token, 403 to a customer, 422 for bad filters, a cursor of another sort", async () => {
    const customer = (await registerAndLogin()).accessToken;
    expect((await api("/api/inventory/levels", { token: null })).status).toBe(401);
    expect((await api("/api/inventory/levels", { token: customer })).status).toBe(403);
    const support = (await registerAndLogin("support")).accessToken;
    const page = await json<LevelPage>(await api("/api/inventory/levels?limit=1", { token: support }));
    expect(page.items).toHaveLength(1);
    for (const query of [
      "status=gone",
      "sort=price",
      "sku=bad%20sku!",
      "sku=A%00B",
      "limit=0",
      "limit=99999999999999999999",
      "cursor=garbage",
    ])
      expect([query, (await api(`/api/inventory/levels?${query}`, { token: support })).status]).toEqual([query, 422]);
    // A cursor made for the SKU sort does not page the emptiest-first one.
    expect((await api(`/api/inventory/levels?sort=available&cursor=${page.nextCursor}`, { token: support })).status).toBe(422);
  });
});
