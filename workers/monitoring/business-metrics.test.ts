/**
 * Business counters and the Durable Object metrics, read from /api/metrics
 * as a scraper would: a real checkout and a declined card through the API,
 * and the counters they move (through the events, consumed by the pipeline
 * group), and the objects' calls, storage writes and alarm lag.
 */
import { describe, expect, it } from "vitest";
import { confirm, order, shopper, stocked } from "../../test/checkout/fixtures.ts";
import { api, eventually } from "../../test/helpers/http.ts";

/** The value of one series, or 0 when it is not there. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** The sum of every series of a metric whose labels contain `match`. */
function total(text: string, name: string, match = ""): number {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.includes(match))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

const scrape = async () => (await api("/api/metrics")).text();

describe("business counters and object metrics at /api/metrics", () => {
  it("count a checkout's order and revenue, and a declined payment, once each", async () => {
    const before = await scrape();
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([1999, 2500], 10);
    const paid = await order(user.accessToken, [{ sku: sku!, quantity: 2 }]);
    const currency = paid.totals.currency;
    expect((await confirm(user.accessToken, paid.id)).status).toBe(200);
    const declined = await order(user.accessToken, [{ sku: sku!, quantity: 1 }]);
    expect((await confirm(user.accessToken, declined.id, "pm_card_declined")).status).toBe(402);

    const placedSeries = `edge_commerce_orders_placed_total{currency="${currency}"}`;
    const confirmedSeries = `edge_commerce_orders_confirmed_total{currency="${currency}"}`;
    const revenueSeries = `edge_commerce_revenue_minor_total{currency="${currency}"}`;
    const declineSeries = 'edge_commerce_payment_declines_total{reason="card_declined"}';
    const after = await eventually(
      async () => {
        const text = await scrape();
        const settled =
          sample(text, placedSeries) - sample(before, placedSeries) >= 2 &&
          sample(text, confirmedSeries) - sample(before, confirmedSeries) >= 1 &&
          sample(text, declineSeries) - sample(before, declineSeries) >= 1;
        return settled ? text : undefined;
      },
      20_000,
      "the business counters",
    );
    // Give a duplicate delivery the chance to count twice; it must not.
    await new Promise((r) => setTimeout(r, 300));
    const text = await scrape();
    expect(sample(text, placedSeries) - sample(before, placedSeries)).toBe(2);
    expect(sample(text, confirmedSeries) - sample(before, confirmedSeries)).toBe(1);
    expect(sample(text, revenueSeries) - sample(before, revenueSeries)).toBe(paid.totals.totalMinor);
    expect(sample(text, declineSeries) - sample(before, declineSeries)).toBe(1);
    expect(after).toContain("# TYPE edge_commerce_revenue_minor_total counter");

    // The checkout went through the order saga and the stock objects: their calls and writes are counted by class.
    expect(total(text, "edge_commerce_durable_object_calls_total", 'class="ORDER_SAGA"')).toBeGreaterThan(
      total(before, "edge_commerce_durable_object_calls_total", 'class="ORDER_SAGA"'),
    );
    expect(total(text, "edge_commerce_durable_object_storage_writes_total", 'class="OrderSaga"')).toBeGreaterThan(
      total(before, "edge_commerce_durable_object_storage_writes_total", 'class="OrderSaga"'),
    );
    expect(text).toContain("# TYPE edge_commerce_durable_object_alarm_lag_seconds histogram");
    expect(total(text, "edge_commerce_durable_object_alarm_lag_seconds_count")).toBeGreaterThan(0);
  });
});
