/**
 * GET /api/orders filters staff use to find an order: by its number (or the
 * number's beginning, in any case) and by the days it was placed, combined
 * with the caller's own scope; bad filters are a 422.
 */
import { afterAll, describe, expect, it } from "vitest";
import { json, order, type Problem, quiesce, shopper, stocked } from "../../test/checkout/fixtures.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import type { OrderSummary } from "./view.ts";

afterAll(() => quiesce(), 30_000);

type Page = { items: OrderSummary[]; nextCursor: string | null };
const list = async (query: string, token?: string) => json<Page>(await api(`/api/orders?${query}`, { token }), 200);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe("finding orders by number and date", () => {
  it("finds an order by its number in any case, and by the number's beginning", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([100], 10);
    const first = await order(user.accessToken, [{ sku: a!, quantity: 1 }]);
    const second = await order(user.accessToken, [{ sku: a!, quantity: 1 }]);
    const support = await registerAndLogin("support");

    const exact = await list(`number=${first.number}`, support.accessToken);
    expect(exact.items.map((o) => o.id)).toEqual([first.id]);
    const lower = await list(`number=${first.number.toLowerCase()}`, support.accessToken);
    expect(lower.items.map((o) => o.id)).toEqual([first.id]);

    // Both numbers share everything but their last digits: a prefix finds both, newest first.
    let common = 0;
    while (first.number[common] === second.number[common]) common++;
    const prefix = await list(`number=${first.number.slice(0, common)}&limit=100`, support.accessToken);
    const ids = prefix.items.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));

    expect((await list("number=EC-1999-", support.accessToken)).items).toEqual([]);
  });

  it("keeps a customer to their own orders when they search by another's number", async () => {
    const owner = await shopper();
    const other = await shopper();
    const {
      skus: [a],
    } = await stocked([100], 10);
    const theirs = await order(owner.accessToken, [{ sku: a!, quantity: 1 }]);
    expect((await list(`number=${theirs.number}`, other.accessToken)).items).toEqual([]);
    expect((await list(`number=${theirs.number}`, owner.accessToken)).items.map((o) => o.id)).toEqual([theirs.id]);
  });

  it("filters by the UTC days the order was placed, both ends included", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([100], 10);
    const placed = await order(user.accessToken, [{ sku: a!, quantity: 1 }]);
    const today = placed.createdAt.slice(0, 10);
    expect((await list(`userId=${user.userId}&from=${today}&to=${today}`)).items.map((o) => o.id)).toEqual([placed.id]);
    expect((await list(`userId=${user.userId}&from=${day(1)}`)).items).toEqual([]);
    expect((await list(`userId=${user.userId}&to=${day(-1)}`)).items).toEqual([]);
    expect((await list(`number=${placed.number}&from=${day(-3)}&status=pending`)).items.map((o) => o.id)).toEqual([placed.id]);
    expect((await list(`number=${placed.number}&status=shipped`)).items).toEqual([]);
  });

  it("refuses filters it cannot read with 422", async () => {
    for (const bad of [
      "number=EC-2026%25",
      "number=EC_2026",
      `number=${"9".repeat(41)}`,
      "number=EC%00",
      "number=",
      "from=2026-13-01",
      "to=yesterday",
      `from=${day(1)}&to=${day(0)}`,
    ]) {
      const res = await api(`/api/orders?${bad}`);
      expect(res.status, bad).toBe(422);
      expect((await json<Problem>(res, 422)).code).toBe("VALIDATION_FAILED");
    }
  });
});
