/**
 * Every analytics report against an independent computation (expected-test-fixtures.ts)
 * on a fixed history (history-test-fixtures.ts), whose events reach the pipeline's
 * queue handler shuffled (so out of order) and a tenth of them twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderConfirmed } from "../../queues/contracts/events/order.ts";
import { testEnv } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { piiKeyOf, pseudonymizer } from "../pipeline/index.ts";
import { buildEvent } from "../platform/event-contracts.ts";
import { newId } from "../platform/ids.ts";
import {
  expectedCohorts,
  expectedCustomers,
  expectedDay,
  expectedFunnel,
  expectedInventory,
  expectedSales,
  periodOf,
} from "./expected-test-fixtures.ts";
import { events } from "./history-events-test-fixtures.ts";
import { buildWorld, randomMonday, total, type World } from "./history-test-fixtures.ts";
import { deliver, settle, shuffledWithDuplicates } from "./test-fixtures.ts";

let world: World;
let analyst: string;
let query: string;

async function get<T>(path: string, token = analyst): Promise<T> {
  const res = await api(path, { token });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
const byKey = <T extends { key: string | null }>(rows: T[]) => [...rows].sort((a, b) => String(a.key).localeCompare(String(b.key)));

// Background work the tests set off (queues, alarms) finishes before the environment goes.
afterAll(() => settle());

beforeAll(async () => {
  world = buildWorld(20260301, randomMonday(1971, 1979));
  expect(await deliver(shuffledWithDuplicates(events(world), 7))).toBe(0);
  analyst = (await registerAndLogin("analyst")).accessToken;
  const { from, to } = periodOf(world);
  query = `from=${from.toISOString().slice(0, 10)}&to=${to.toISOString().slice(0, 10)}&granularity=week&currency=${world.currency}`;
}, 120_000);

describe("sales", () => {
  it("totals and weekly rows: revenue, orders, average order value, units and refunds", async () => {
    const want = expectedSales(world);
    expect(want.totals.orders).toBeGreaterThan(5);
    expect(want.totals.refunds).toBeGreaterThan(0);
    const got = await get<{ totals: unknown; rows: unknown[] }>(`/api/analytics/sales?${query}`);
    expect(got.totals).toEqual(want.totals);
    expect(got.rows).toEqual(want.period);
  });

  it("by product, category, brand and region", async () => {
    const want = expectedSales(world);
    for (const by of ["product", "category", "brand", "region"] as const) {
      const got = await get<{ rows: { key: string | null }[] }>(`/api/analytics/sales?${query}&by=${by}`);
      expect(byKey(got.rows), by).toEqual(byKey<{ key: string | null }>(want[by]));
    }
  });

  it("never mixes currencies", async () => {
    const { from, to } = periodOf(world);
    const other = await get<{ totals: { orders: number; revenueMinor: number } }>(
      `/api/analytics/sales?from=${from.toISOString()}&to=${to.toISOString()}&currency=${world.other}`,
    );
    const theirs = world.orders.filter((o) => o.currency === world.other);
    expect(other.totals).toMatchObject({ orders: theirs.length, revenueMinor: theirs.reduce((n, o) => n + total(o), 0) });
  });
});

describe("funnel", () => {
  it("distinct shoppers per step, conversion rates, per week, and anonymous traffic beside it", async () => {
    const want = expectedFunnel(world);
    expect(want.steps[3]!.reached).toBeGreaterThan(0);
    expect(want.steps[1]!.reached).toBeLessThan(want.steps[0]!.reached);
    const got = await get<typeof want>(`/api/analytics/funnel?${query}`);
    expect(got.steps).toEqual(want.steps);
    expect(got.overallConversionRate).toBe(want.overallConversionRate);
    expect(got.anonymous).toEqual(want.anonymous);
    expect(got.buckets).toEqual(want.buckets);
  });
});

describe("cohorts", () => {
  it("the retention triangle by sign-up week", async () => {
    const want = expectedCohorts(world, 6);
    expect(want.some((c) => c.retention.some((r) => r && r.customers > 0))).toBe(true);
    expect(want[want.length - 1]!.retention.some((r) => r === null)).toBe(true);
    const got = await get<{ cohorts: unknown }>(`/api/analytics/cohorts?${query}&periods=6`);
    expect(got.cohorts).toEqual(want);
  });
});

describe("customers", () => {
  it("new versus returning per week and in the period, and the top customers by pseudonym", async () => {
    const want = expectedCustomers(world);
    expect(want.buckets.some((b) => b.returningCustomers > 0)).toBe(true);
    const got = await get<{ totals: unknown; buckets: unknown; top: { customerKey: string; orders: number; revenueMinor: number }[] }>(
      `/api/analytics/customers?${query}&top=100`,
    );
    expect(got.totals).toEqual(want.totals);
    expect(got.buckets).toEqual(want.buckets);
    const pz = pseudonymizer(piiKeyOf(testEnv));
    const top = await Promise.all(
      want.revenueByCustomer.map(async (c) => ({ customerKey: await pz(c.userId), orders: c.orders, revenueMinor: c.revenueMinor })),
    );
    // Ties in revenue go by pseudonym, compared by code point (the query orders them in the "C" collation).
    top.sort((a, b) => b.revenueMinor - a.revenueMinor || (a.customerKey < b.customerKey ? -1 : a.customerKey > b.customerKey ? 1 : 0));
    expect(got.top.map(({ customerKey, orders, revenueMinor }) => ({ customerKey, orders, revenueMinor }))).toEqual(top);
    expect(JSON.stringify(got)).not.toContain("usr_");
  });
});

describe("inventory", () => {
  it("stock-outs and low-stock SKUs per week, and the SKUs that ran out most", async () => {
    const got = await get<{ buckets: unknown; topStockOuts: { sku: string; stockOuts: number; productName: string | null }[] }>(
      `/api/analytics/inventory?${query}&limit=200`,
    );
    expect(got.buckets).toEqual(expectedInventory(world));
    const skus = new Set(world.stock.map((s) => s.sku));
    const mine = got.topStockOuts.filter((r) => skus.has(r.sku));
    for (const row of mine) {
      expect(row.stockOuts).toBe(world.stock.filter((s) => s.sku === row.sku && s.kind === "out").length);
      expect(row.productName).toBe(world.products.find((p) => p.skus.includes(row.sku))!.name);
    }
    expect(mine.length).toBe(skus.size);
  });
});

describe("real-time running totals", () => {
  it("match the day's facts, ignore a repeated event and move by exactly a new one", async () => {
    const mine = world.orders.filter((o) => o.currency === world.currency && o.confirmedAt);
    const counts = new Map<string, number>();
    for (const o of mine)
      counts.set(o.confirmedAt!.toISOString().slice(0, 10), (counts.get(o.confirmedAt!.toISOString().slice(0, 10)) ?? 0) + 1);
    const day = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const read = () =>
      get<{ metrics: Record<string, number>; averageOrderValueMinor: number; asOf: string | null }>(
        `/api/analytics/realtime?date=${day}&currency=${world.currency}`,
      );
    const before = await read();
    const want = expectedDay(world, day);
    expect(before.metrics).toMatchObject(want);
    expect(before.averageOrderValueMinor).toBe(Math.round(want.revenueMinor / want.ordersConfirmed));

    const orderId = newId("ord");
    const late = buildEvent(OrderConfirmed, {
      subjectId: orderId,
      source: "test",
      correlationId: orderId,
      occurredAt: new Date(`${day}T12:00:00Z`),
      payload: { orderId, orderNumber: "EC-LATE-1", userId: newId("usr"), totalMinor: 4321, currency: world.currency },
    });
    expect(await deliver([late, late])).toBe(0);
    expect(await deliver([{ ...late, id: newId("evt") }])).toBe(0); // the same confirmation announced twice: one order
    const after = await read();
    expect(after.metrics.ordersConfirmed).toBe(want.ordersConfirmed + 1);
    expect(after.metrics.revenueMinor).toBe(want.revenueMinor + 4321);
    expect(after.metrics.signups).toBe(want.signups);
  });
});
