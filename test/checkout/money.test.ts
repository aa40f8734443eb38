/**
 * Money beyond 32 bits: an order of two units at 11,000,000.00 is placed,
 * paid and shipped with every amount intact (it used to fail with a 500 on
 * a 32-bit column), and an order above the documented maximum is refused
 * with a 422 that reserves and stores nothing.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { ORDER_TOTAL_MAX_MINOR } from "../../durable-objects/order/totals.ts";
import type { OrderView } from "../../workers/orders/index.ts";
import { withTestDb } from "../helpers/db.ts";
import { outboxEvents } from "../helpers/identity.ts";
import { confirm, json, netCharged, type Problem, placeOrder, quiesce, shopper, stocked, stockLevel } from "./fixtures.ts";

afterAll(() => quiesce(), 30_000);

const ELEVEN_MILLION = 1_100_000_000;

describe("amounts above 32 bits", () => {
  it("places, pays and ships two units at 11,000,000.00 with every amount exact", async () => {
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([ELEVEN_MILLION], 5);
    const placed = await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku, quantity: 2 }] }), 201);
    expect(placed.totals).toMatchObject({ subtotalMinor: 2_200_000_000, shippingMinor: 0, totalMinor: 2_200_000_000 });
    expect(placed.lines[0]).toMatchObject({ unitPriceMinor: ELEVEN_MILLION, lineTotalMinor: 2_200_000_000 });
    const confirmed = await json<OrderView>(await confirm(user.accessToken, placed.id), 200);
    expect(confirmed).toMatchObject({ status: "confirmed", payment: { status: "captured", capturedMinor: 2_200_000_000 } });
    expect(await netCharged(placed.id)).toBe(2_200_000_000);
    const stored = await withTestDb(
      async (db) =>
        (
          await db.execute<{ total: string; line: string }>(sql`
          select o.total_minor::text as total, l.line_total_minor::text as line
          from orders.orders o join orders.order_lines l on l.order_id = o.id where o.id = ${placed.id}`)
        ).rows,
    );
    expect(stored).toEqual([{ total: "2200000000", line: "2200000000" }]);
    expect((await outboxEvents<{ totalMinor: number }>(placed.id, "OrderConfirmed")).map((e) => e.payload.totalMinor)).toEqual([
      2_200_000_000,
    ]);
  });

  it("refuses an order above the maximum with a 422 and reserves and stores nothing", async () => {
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([2_000_000_000], 5);
    const refused = await json<Problem & { maxMinor: number }>(
      await placeOrder(user.accessToken, { lines: [{ sku, quantity: 1000 }] }),
      422,
    );
    expect(refused).toMatchObject({ code: "ORDER_TOTAL_TOO_LARGE", maxMinor: ORDER_TOTAL_MAX_MINOR });
    expect((await stockLevel(sku!)).reserved).toBe(0);
    const orders = await withTestDb(
      async (db) =>
        (await db.execute<{ n: string }>(sql`select count(*) as n from orders.orders where user_id = ${user.userId}`)).rows[0]!.n,
    );
    expect(Number(orders)).toBe(0);
  });
});
