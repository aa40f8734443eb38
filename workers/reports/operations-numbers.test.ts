/**
 * The operations reports (inventory valuation, order fulfilment, review
 * moderation backlog, audit summary) against an independent computation on
 * histories seeded for this file alone (years 2101 to 2108, unique ids and a
 * category, product and currency of their own), read back from their files,
 * and who may run them.
 */
import { sql } from "drizzle-orm";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, describe, expect, it } from "vitest";
import * as XLSX from "xlsx";
import { withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { randomMonday } from "../analytics/history-test-fixtures.ts";
import { appendAuditEntry } from "../audit/append.ts";
import { newId } from "../platform/ids.ts";
import { newCategory, newProduct, uid } from "../products/test-fixtures.ts";

type Run = { id: string; status: string; rowCount: number; downloads: Record<string, { url: string }> };

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

async function run(token: string | undefined, definition: string, params: Record<string, unknown>, formats: string[]): Promise<Run> {
  const res = await api("/api/reports/runs", { method: "POST", token, json: { definition, params, formats } });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as Run;
  const done = await eventually(async () => {
    const r = (await (await api(`/api/reports/runs/${id}`, { token })).json()) as Run;
    return r.status === "succeeded" || r.status === "failed" ? r : undefined;
  }, 30_000);
  expect(done.status).toBe("succeeded");
  return done;
}
const file = async (r: Run, format: string) => new Uint8Array(await (await api(r.downloads[format]!.url, { token: null })).arrayBuffer());
const sheets = async (r: Run) => {
  const book = XLSX.read(await file(r, "xlsx"), { type: "array" });
  return (name: string) => XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[name]!);
};
const csvSections = async (r: Run) =>
  new TextDecoder()
    .decode(await file(r, "csv"))
    .split("\r\n\r\n")
    .map((s) =>
      s
        .trim()
        .split("\r\n")
        .map((l) => l.split(",")),
    );

describe("order fulfilment", () => {
  it("shipped, hours to ship, late deliveries and returns, in total, per day and per carrier", async () => {
    const week = randomMonday(2101, 2109);
    const tag = uid().toUpperCase();
    const country = "IS";
    // Per order: confirmed (day, hour), hours to dispatch (null: not shipped), carrier, estimate and delivery (days after confirmation), returned.
    const orders = [
      { day: 0, h: 1, ship: 5, carrier: "dhl", est: 3, delivered: 2, returned: false },
      { day: 0, h: 9, ship: 20, carrier: "dhl", est: 3, delivered: 4, returned: true },
      { day: 1, h: 3, ship: 2, carrier: "ups", est: 2, delivered: 2, returned: false },
      { day: 1, h: 4, ship: 47, carrier: "ups", est: 2, delivered: null, returned: false },
      { day: 3, h: 0, ship: null, carrier: null, est: null, delivered: null, returned: false },
      { day: 4, h: 12, ship: 11, carrier: "dhl", est: 5, delivered: 5, returned: true },
    ].map((o, i) => ({ ...o, id: `ord_F${tag}${i}`, confirmedAt: new Date(week.getTime() + o.day * DAY + o.h * HOUR) }));
    await withTestDb(async (db) => {
      for (const o of orders) {
        await db.execute(sql`insert into analytics.order_facts (order_id, currency, shipping_country, created_at, confirmed_at, returned_at)
          values (${o.id}, 'USD', ${country}, ${o.confirmedAt.toISOString()}, ${o.confirmedAt.toISOString()}, ${o.returned ? new Date(o.confirmedAt.getTime() + 9 * DAY).toISOString() : null})`);
        if (o.ship === null) continue;
        const estimate = iso(new Date(o.confirmedAt.getTime() + o.est! * DAY));
        const facts: [string, Date, string | null][] = [
          ["created", new Date(o.confirmedAt.getTime() + HOUR / 2), null],
          ["dispatched", new Date(o.confirmedAt.getTime() + o.ship * HOUR), null],
        ];
        if (o.delivered !== null) {
          const at = new Date(Date.parse(`${iso(new Date(o.confirmedAt.getTime() + o.delivered * DAY))}T15:00:00Z`));
          facts.push(["delivered", at, at.toISOString()]);
        }
        for (const [kind, at, deliveredAt] of facts)
          await db.execute(sql`insert into analytics.delivery_facts (event_id, kind, shipment_id, order_id, carrier, country, estimated_delivery, delivered_at, occurred_at)
            values (${`evt_F${tag}${o.id}${kind}`}, ${kind}, ${`shp_${o.id}`}, ${o.id}, ${o.carrier}, ${country}, ${estimate}::date, ${deliveredAt}, ${at.toISOString()})`);
      }
    });
    // Independently: an order is late when delivered after its estimated day, or undelivered with that day past (2101+ is never past).
    const expected = (of: typeof orders) => {
      const shipped = of.filter((o) => o.ship !== null);
      const hours = shipped.map((o) => o.ship!).sort((a, b) => a - b);
      const late = shipped.filter((o) => o.delivered !== null && o.delivered > o.est!).length;
      const returned = shipped.filter((o) => o.returned).length;
      return {
        orders: of.length,
        shipped: shipped.length,
        avg: hours.length ? Math.round((hours.reduce((a, b) => a + b, 0) / hours.length) * 10) / 10 : undefined,
        late,
        returned,
        returnsRate: shipped.length ? returned / shipped.length : undefined,
      };
    };
    const admin = (await registerAndLogin("admin")).accessToken;
    const r = await run(admin, "order-fulfilment", { from: iso(week), to: iso(new Date(week.getTime() + 7 * DAY)), country }, [
      "xlsx",
      "pdf",
    ]);
    const rows = await sheets(r);
    const figures = (x: Record<string, unknown>) => ({
      orders: x["Orders confirmed"],
      shipped: x.Shipped,
      avg: x["Hours to ship (average)"],
      late: x.Late,
      returned: x.Returned,
      returnsRate: x["Returns rate"],
    });
    expect(figures(rows("Totals")[0]!)).toEqual(expected(orders));
    expect(rows("Totals")[0]!["Hours to ship (median)"]).toBe(11);
    const days = XLSX.utils.sheet_to_json<Record<string, unknown>>(XLSX.read(await file(r, "xlsx"), { type: "array" }).Sheets["Per day"]!, {
      raw: false,
      dateNF: "yyyy-mm-dd",
    });
    expect(days.map((d) => [d["Day confirmed"], Number(d["Orders confirmed"]), Number(d.Shipped)])).toEqual(
      [0, 1, 3, 4].map((day) => {
        const e = expected(orders.filter((o) => o.day === day));
        return [iso(new Date(week.getTime() + day * DAY)), e.orders, e.shipped];
      }),
    );
    // toEqual passes over the figures an unshipped group has none of (empty cells, undefined expectations).
    expect(rows("By carrier").map((x) => [x.Carrier, figures(x)])).toEqual([
      ["dhl", expected(orders.filter((o) => o.carrier === "dhl"))],
      ["ups", expected(orders.filter((o) => o.carrier === "ups"))],
      ["(not shipped)", expected(orders.filter((o) => o.carrier === null))],
    ]);
    const { text } = await extractText(await getDocumentProxy(await file(r, "pdf")), { mergePages: true });
    expect(text).toContain("Order fulfilment");
    expect(text).toContain("Average hours to ship, per day of confirmation");

    // Support reads fulfilment (it holds no money), and the carrier filter narrows it.
    const support = (await registerAndLogin("support")).accessToken;
    const ups = await run(support, "order-fulfilment", { from: iso(week), to: iso(new Date(week.getTime() + 7 * DAY)), carrier: "ups" }, [
      "csv",
    ]);
    const [totals] = await csvSections(ups);
    expect(totals![1]!.slice(0, 3)).toEqual(["2", "2", "0"]);
  });
});

describe("inventory valuation", () => {
  it("units on hand at list and selling price, per category and for the SKUs worth most; other currencies apart", async () => {
    const categoryName = `Valued ${uid()}`;
    const category = await newCategory(categoryName);
    const a = await newProduct({ categoryId: category.id, variants: [{ priceMinor: 1250 }, { priceMinor: 399 }] });
    const b = await newProduct({ categoryId: category.id, variants: [{ priceMinor: 10_000 }] });
    const euro = await newProduct({ categoryId: category.id, variants: [{ priceMinor: 5000, currency: "EUR" }] });
    const skus = [...a.variants, ...b.variants, ...euro.variants].map((v) => v.sku);
    const onHand = [4, 30, 2, 7];
    // The pipeline describes the new products (category of each SKU); the stock rows are the SKUs' levels, set here with a high version.
    await eventually(
      () =>
        withTestDb(async (db) => {
          const r = await db.execute<{ n: string }>(sql`
            select count(*) as n from analytics.sku_dim k join analytics.product_dim d using (product_id)
            where k.sku = any(${sql.param(skus)}::text[]) and d.category_id = ${category.id}`);
          return Number(r.rows[0]!.n) === skus.length ? true : undefined;
        }),
      60_000,
      "the products in the analytics dimensions",
    );
    await withTestDb(async (db) => {
      for (const [i, s] of skus.entries())
        await db.execute(sql`insert into analytics.sku_stock (sku, status, available, on_hand, reserved, low_stock_threshold, stock_version, updated_at)
          values (${s}, 'in_stock', ${onHand[i]!}, ${onHand[i]!}, 0, 5, 1000000000, now())
          on conflict (sku) do update set on_hand = excluded.on_hand, available = excluded.available, stock_version = excluded.stock_version`);
    });
    const analyst = (await registerAndLogin("analyst")).accessToken;
    const r = await run(analyst, "inventory-valuation", { currency: "USD", categoryId: category.id, limit: 2 }, ["csv"]);
    const [totals, byCategory, top] = await csvSections(r);
    const usd = [0, 1, 2].map((i) => ({ units: onHand[i]!, price: [1250, 399, 10_000][i]! }));
    const value = usd.reduce((n, x) => n + x.units * x.price, 0);
    const units = usd.reduce((n, x) => n + x.units, 0);
    expect(totals!.map((l) => l.join(","))).toEqual([
      "SKUs,Units on hand,Value at list price (USD),Value at selling price (USD),SKUs priced in another currency,SKUs not in the catalogue",
      `3,${units},${(value / 100).toFixed(2)},${(value / 100).toFixed(2)},1,0`,
    ]);
    expect(byCategory!.slice(1)).toEqual([[categoryName, "3", String(units), (value / 100).toFixed(2), (value / 100).toFixed(2)]]);
    // The two SKUs worth most: 30 × 3.99 = 119.70 and 2 × 100.00 = 200.00 beat 4 × 12.50 = 50.00.
    expect(top!.slice(1).map((l) => [l[0], l[3], l[6]])).toEqual([
      [skus[2], "2", "200.00"],
      [skus[1], "30", "119.70"],
    ]);
    expect(r.rowCount).toBe(1 + 1 + 2);

    // Support may not value stock (money); a customer may not run reports at all.
    const support = (await registerAndLogin("support")).accessToken;
    const denied = await api("/api/reports/runs", {
      method: "POST",
      token: support,
      json: { definition: "inventory-valuation", params: { currency: "USD" } },
    });
    expect(denied.status).toBe(403);
    const bad = await api("/api/reports/runs", {
      method: "POST",
      token: analyst,
      json: { definition: "inventory-valuation", params: { currency: "USD", categoryId: "x\u0000y" } },
    });
    expect(bad.status).toBe(422);
  });
});

describe("review moderation backlog", () => {
  const product = `prd_B${uid().toUpperCase()}`;
  afterAll(() => withTestDb((db) => db.execute(sql`delete from reviews.reviews where product_id = ${product}`)));

  it("reviews waiting by reason and age, open reports, and the period's decisions", async () => {
    const week = randomMonday(2101, 2109);
    const now = Date.now();
    const review = (status: string, extra: { held?: string[]; updated?: number; created?: Date; moderated?: Date }) => ({
      id: `rev_${uid().toUpperCase()}${uid().toUpperCase()}`,
      status,
      held: extra.held ?? [],
      updated: new Date(extra.updated ?? now),
      created: extra.created ?? new Date(extra.updated ?? now),
      moderated: extra.moderated ?? null,
    });
    const waiting = [
      review("pending", { held: ["new_account"], updated: now - 2 * HOUR }),
      review("pending", { held: ["spam", "personal_data"], updated: now - 50 * HOUR }),
      review("pending", { held: ["reports"], updated: now - 100 * HOUR }),
      review("pending", { held: ["spam"], updated: now - 200 * HOUR }),
    ];
    const decided = [
      review("approved", { created: new Date(week.getTime()), moderated: new Date(week.getTime() + 4 * HOUR) }),
      review("approved", { created: new Date(week.getTime()), moderated: new Date(week.getTime() + DAY + 10 * HOUR) }),
      review("rejected", { created: new Date(week.getTime() + DAY), moderated: new Date(week.getTime() + DAY + 20 * HOUR) }),
    ];
    await withTestDb(async (db) => {
      for (const [i, r] of [...waiting, ...decided].entries())
        await db.execute(sql`insert into reviews.reviews (id, product_id, user_id, rating, body, status, held_for, moderated_at, created_at, updated_at)
          values (${r.id}, ${product}, ${`usr_B${i}${uid()}`}, 4, 'fine', ${r.status}, ${sql.param(r.held)}::text[], ${r.moderated?.toISOString() ?? null},
            ${r.created.toISOString()}, ${r.updated.toISOString()})`);
      for (const [i, reporter] of ["u1", "u2"].entries())
        await db.execute(
          sql`insert into reviews.reports (id, review_id, reporter_id, reason) values (${`rpt_B${uid()}${i}`}, ${waiting[2]!.id}, ${reporter}, 'spam')`,
        );
    });
    const support = (await registerAndLogin("support")).accessToken;
    const r = await run(support, "review-backlog", { from: iso(week), to: iso(new Date(week.getTime() + 7 * DAY)), productId: product }, [
      "csv",
      "pdf",
    ]);
    const [now_, reasons, ages, perDay] = await csvSections(r);
    // Waiting now: 4, the longest 200 h, the median (50 + 100) / 2; 2 open reports; 2 approved, 1 rejected, median of 4, 34 and 20 hours.
    expect(now_![1]!.map(Number)).toEqual([4, 200, 75, 2, 2, 1, 20]);
    expect(reasons!.slice(1)).toEqual([
      ["spam", "2", "200"],
      ["new_account", "1", "2"],
      ["personal_data", "1", "50"],
      ["reports", "1", "100"],
    ]);
    expect(ages!.slice(1)).toEqual([
      ["under 1 day", "1"],
      ["1 to 3 days", "1"],
      ["3 to 7 days", "1"],
      ["7 days or more", "1"],
    ]);
    expect(perDay!.slice(1)).toEqual([
      [iso(week), "1", "0"],
      [iso(new Date(week.getTime() + DAY)), "1", "1"],
    ]);
    const { text } = await extractText(await getDocumentProxy(await file(r, "pdf")), { mergePages: true });
    expect(text).toContain("Review moderation backlog");
    expect(text).toContain("Reviews approved per day");
  });
});

describe("audit and compliance summary", () => {
  it("the period's trail by type, family and actor, per day; admins only", async () => {
    const month = new Date(Date.UTC(2101 + Math.floor(Math.random() * 8), Math.floor(Math.random() * 12), 1));
    const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    const tag = uid();
    const seeded = [
      { type: "OrderConfirmed", topic: "order", source: "orders", actor: { type: "user" as const, id: "usr_A" }, day: 2 },
      { type: "OrderConfirmed", topic: "order", source: "orders", actor: { type: "user" as const, id: "usr_B" }, day: 2 },
      { type: "RefundIssued", topic: "payment", source: "payments", actor: { type: "system" as const, id: "job" }, day: 5 },
      { type: "ReviewModerated", topic: "review", source: "reviews", actor: null, day: 5 },
      { type: "OrderConfirmed", topic: "order", source: "orders", actor: null, day: 40 },
    ];
    await withTestDb(async (db) => {
      for (const e of seeded)
        await db.transaction((tx) =>
          appendAuditEntry(tx, {
            id: newId("evt"),
            type: e.type,
            version: 1,
            topic: e.topic as never,
            source: e.source,
            subjectId: `sub_${tag}`,
            correlationId: `cor_${tag}`,
            actor: e.actor,
            occurredAt: new Date(month.getTime() + e.day * DAY + HOUR).toISOString(),
            payload: {},
          }),
        );
    });
    const analyst = (await registerAndLogin("analyst")).accessToken;
    const denied = await api("/api/reports/runs", {
      method: "POST",
      token: analyst,
      json: { definition: "audit-summary", params: { from: iso(month), to: iso(next) } },
    });
    expect(denied.status).toBe(403);

    const admin = (await registerAndLogin("admin")).accessToken;
    const r = await run(admin, "audit-summary", { from: iso(month), to: iso(next) }, ["xlsx"]);
    const rows = await sheets(r);
    // Other files' entries never fall in these years, so the period holds exactly the four seeded inside it.
    const inside = seeded.filter((e) => e.day < 28);
    expect(rows("Totals")[0]).toMatchObject({ "Events recorded": inside.length, "Event types": 3 });
    expect(rows("By type").map((x) => [x["Event type"], x.Family, x.Events])).toEqual([
      ["OrderConfirmed", "orders", 2],
      ["RefundIssued", "payments", 1],
      ["ReviewModerated", "reviews", 1],
    ]);
    expect(rows("By actor").map((x) => [x.Actor, x.Events])).toEqual([
      ["user", 2],
      ["(none)", 1],
      ["system", 1],
    ]);
    expect(rows("Per day").map((x) => x.Events)).toEqual([2, 2]);
  });
});
