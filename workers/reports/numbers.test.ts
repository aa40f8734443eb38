/**
 * The reports' numbers against an independent computation on a fixed
 * history (the analytics fixtures: events delivered to the pipeline shuffled,
 * a tenth twice), read back from the files themselves: the XLSX with a
 * spreadsheet parser, the CSV by its lines, the PDF by text extraction.
 */
import { sql } from "drizzle-orm";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as XLSX from "xlsx";
import { withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { expectedSales, periodOf } from "../analytics/expected-test-fixtures.ts";
import { events } from "../analytics/history-events-test-fixtures.ts";
import { buildWorld, DAY, randomMonday, total, uniqueCurrency, type World } from "../analytics/history-test-fixtures.ts";
import { deliver, settle, shuffledWithDuplicates } from "../analytics/test-fixtures.ts";

let world: World;
let analyst: string;
let from: string;
let to: string;

type Run = { id: string; status: string; rowCount: number; downloads: Record<string, { url: string }> };

afterAll(() => settle());

beforeAll(async () => {
  world = buildWorld(20260316, randomMonday(1981, 1989));
  expect(await deliver(shuffledWithDuplicates(events(world), 11))).toBe(0);
  analyst = (await registerAndLogin("analyst")).accessToken;
  const p = periodOf(world);
  from = p.from.toISOString().slice(0, 10);
  to = p.to.toISOString().slice(0, 10);
}, 120_000);

async function run(definition: string, params: Record<string, unknown>, formats = ["csv", "xlsx", "pdf"]): Promise<Run> {
  const res = await api("/api/reports/runs", { method: "POST", token: analyst, json: { definition, params, formats } });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as Run;
  const done = await eventually(async () => {
    const r = (await (await api(`/api/reports/runs/${id}`, { token: analyst })).json()) as Run;
    return r.status === "succeeded" || r.status === "failed" ? r : undefined;
  }, 30_000);
  expect(done.status).toBe("succeeded");
  return done;
}
const file = async (r: Run, format: string) => new Uint8Array(await (await api(r.downloads[format]!.url, { token: null })).arrayBuffer());
const minor = (major: unknown) => Math.round(Number(major) * 100);

/** Revenue and refunds per UTC day, straight from the history. */
function perDay(w: World) {
  const p = periodOf(w);
  const days = Array.from(
    { length: Math.round((p.to.getTime() - p.from.getTime()) / DAY) },
    (_, i) => new Date(p.from.getTime() + i * DAY),
  );
  const mine = w.orders.filter((o) => o.currency === w.currency);
  return days.map((d) => {
    const end = new Date(d.getTime() + DAY);
    const orders = mine.filter((o) => o.confirmedAt && o.confirmedAt >= d && o.confirmedAt < end);
    const refunds = mine.flatMap((o) => o.refunds).filter((r) => r.at >= d && r.at < end);
    const revenue = orders.reduce((n, o) => n + total(o), 0);
    const refunded = refunds.reduce((n, r) => n + r.amount, 0);
    return {
      day: d.toISOString().slice(0, 10),
      orders: orders.length,
      revenue,
      refunds: refunds.length,
      refunded,
      net: revenue - refunded,
    };
  });
}

describe("weekly sales (read back from the XLSX and the PDF)", () => {
  it("totals, every day, and the product, category, brand and region breakdowns", async () => {
    const want = expectedSales(world);
    expect(want.totals.orders).toBeGreaterThan(5);
    expect(want.totals.refunds).toBeGreaterThan(0);
    const r = await run("sales-weekly", { currency: world.currency, from, to, limit: 500 });
    const book = XLSX.read(await file(r, "xlsx"), { type: "array" });
    expect(book.SheetNames).toEqual(["Report", "Totals", "Per day", "By product", "By category", "By brand", "By region"]);
    const rows = (sheet: string) => XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[sheet]!);
    const c = world.currency;

    const [t] = rows("Totals");
    expect({
      orders: t!.Orders,
      units: t!.Units,
      revenue: minor(t![`Revenue (${c})`]),
      aov: minor(t![`Average order (${c})`]),
      refunds: t!.Refunds,
      refunded: minor(t![`Refunded (${c})`]),
      net: minor(t![`Net revenue (${c})`]),
    }).toEqual({
      orders: want.totals.orders,
      units: want.totals.units,
      revenue: want.totals.revenueMinor,
      aov: want.totals.averageOrderValueMinor,
      refunds: want.totals.refunds,
      refunded: want.totals.refundedMinor,
      net: want.totals.netRevenueMinor,
    });

    const days = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets["Per day"]!, { raw: false, dateNF: "yyyy-mm-dd" });
    expect(
      days.map((d) => ({
        day: d.Day,
        orders: Number(d.Orders),
        revenue: minor(String(d[`Revenue (${c})`] ?? "0").replaceAll(",", "")),
        refunds: Number(d.Refunds),
        refunded: minor(String(d[`Refunded (${c})`] ?? "0").replaceAll(",", "")),
        net: minor(String(d[`Net revenue (${c})`] ?? "0").replaceAll(",", "")),
      })),
    ).toEqual(perDay(world));

    const norm = (xs: { label: unknown; orders: unknown; units: unknown; revenue: number }[]) =>
      xs.map((x) => `${x.label}|${x.orders}|${x.units}|${x.revenue}`).sort();
    for (const [sheet, by, head] of [
      ["By product", "product", "Product"],
      ["By category", "category", "Category"],
      ["By brand", "brand", "Brand"],
      ["By region", "region", "Country"],
    ] as const) {
      const got = rows(sheet).map((x) => ({
        label: x[head],
        orders: x.Orders,
        units: x.Units ?? 0,
        revenue: minor(x[`Revenue (${c})`] ?? 0),
      }));
      const exp = want[by].map((x) => ({ label: x.label ?? "(unknown)", orders: x.orders, units: x.units, revenue: x.revenueMinor }));
      expect(norm(got), sheet).toEqual(norm(exp));
    }

    const { text } = await extractText(await getDocumentProxy(await file(r, "pdf")), { mergePages: true });
    const money = (m: number) => (m / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    for (const figure of [money(want.totals.revenueMinor), money(want.totals.refundedMinor), money(want.totals.netRevenueMinor)])
      expect(text).toContain(figure);
    for (const d of perDay(world).filter((x) => x.orders > 0)) expect(text).toContain(money(d.revenue));
    expect(text).toContain("Revenue per day");
    expect(text).toContain(`Period: ${from} to`);
  });
});

describe("monthly revenue (read back from the CSV)", () => {
  it("revenue, refunds and net in total and per day", async () => {
    const r = await run("revenue-monthly", { currency: world.currency, from, to }, ["csv"]);
    const text = new TextDecoder().decode(await file(r, "csv"));
    const [totals, days] = text.split("\r\n\r\n");
    const totalLine = totals!.split("\r\n")[1]!.split(",");
    const want = expectedSales(world).totals;
    expect(totalLine.map(Number)).toEqual(
      [want.orders, want.units, want.revenueMinor, want.averageOrderValueMinor, want.refunds, want.refundedMinor, want.netRevenueMinor].map(
        (v, i) => ([2, 3, 5, 6].includes(i) ? v / 100 : v),
      ),
    );
    const lines = days!
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(","));
    expect(lines.map((l) => ({ day: l[0], orders: Number(l[1]), net: minor(l[7] || 0) }))).toEqual(
      perDay(world).map((d) => ({ day: d.day, orders: d.orders, net: d.net })),
    );
    expect(r.rowCount).toBe(1 + perDay(world).length);
  });
});

describe("payment outcomes", () => {
  it("counts and amounts by outcome, declines and refunds by reason", async () => {
    const currency = uniqueCurrency();
    const at = "2026-03-04T10:00:00Z";
    const facts: [string, string | null, number][] = [
      ["authorized", null, 1000],
      ["authorized", null, 2500],
      ["captured", null, 2500],
      ["failed", "card_declined", 700],
      ["failed", "card_declined", 300],
      ["failed", "insufficient_funds", 900],
      ["refunded", "customer_request", 400],
    ];
    await withTestDb(async (db) => {
      for (const [i, [kind, reason, amount]] of facts.entries())
        await db.execute(sql`insert into analytics.payment_facts (event_id, kind, payment_id, refund_id, order_id, amount_minor, currency, reason, occurred_at)
          values (${`evt_PAY${currency}${i}`}, ${kind}, ${`pay_${currency}${i}`}, ${kind === "refunded" ? `ref_${currency}${i}` : null}, ${`ord_${currency}${i}`}, ${amount}, ${currency}, ${reason}, ${at})`);
      // Outside the period, and another currency: not counted.
      await db.execute(sql`insert into analytics.payment_facts (event_id, kind, payment_id, order_id, amount_minor, currency, reason, occurred_at)
        values (${`evt_PAY${currency}x`}, 'failed', 'pay_x', 'ord_x', 99, ${currency}, 'card_declined', '2026-03-20T00:00:00Z')`);
    });
    const r = await run("payment-outcomes", { currency, from: "2026-03-02", to: "2026-03-09" }, ["csv"]);
    const text = new TextDecoder().decode(await file(r, "csv"));
    expect(text.split("\r\n")).toEqual([
      `Outcome,Payments,Amount (${currency})`,
      "authorized,2,35.00",
      "captured,1,25.00",
      "failed,3,19.00",
      "refunded,1,4.00",
      "",
      `Outcome,Reason,Payments,Amount (${currency})`,
      "failed,card_declined,2,10.00",
      "failed,insufficient_funds,1,9.00",
      "refunded,customer_request,1,4.00",
      "",
    ]);
  });
});
