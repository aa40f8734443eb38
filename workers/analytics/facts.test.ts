/**
 * Fact loading: exactly once per event id whatever the delivery (twice, in
 * racing batches, or the statement run again without the framework's
 * idempotency), in any order (an order's confirmation before its creation,
 * a late older product snapshot), and an erased account unlinked.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { OrderCancelled, OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import { RefundIssued } from "../../queues/contracts/events/payment.ts";
import { type ProductSnapshot, ProductUpdated } from "../../queues/contracts/events/product.ts";
import { UserDeleted, UserRegistered } from "../../queues/contracts/events/user.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { composeStatement, piiKeyOf, pseudonymizer, type ScrubbedEvent, scrubEvent } from "../pipeline/index.ts";
import { buildEvent, type EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import { randomMonday, uniqueCurrency } from "./history-test-fixtures.ts";
import { analyticsFactLoaders } from "./index.ts";
import { deliver } from "./test-fixtures.ts";

const ev = <S extends z.ZodType>(c: EventContract<string, S>, subjectId: string, payload: z.input<S>, occurredAt = new Date()) =>
  buildEvent(c, { subjectId, source: "test", correlationId: subjectId, payload, occurredAt }) as Envelope;

/** The CTEs analytics' loaders add to a scrubbed event's statement (the pipeline adds its statistics too). */
const factCtes = (e: ScrubbedEvent) =>
  analyticsFactLoaders.filter((l) => l.contract.type === e.type && l.contract.version === e.version).flatMap((l) => l.load(e));

function order(currency: string, at: Date) {
  const orderId = newId("ord");
  const userId = newId("usr");
  const ref = { orderId, orderNumber: "EC-2026-000001", userId, currency };
  const lines = [
    { sku: "S-A", productId: newId("prd"), name: "A", quantity: 2, unitPriceMinor: 1500 },
    { sku: "S-B", productId: newId("prd"), name: "B", quantity: 1, unitPriceMinor: 700 },
  ];
  return {
    orderId,
    userId,
    created: ev(
      OrderCreated,
      orderId,
      { ...ref, lines, subtotalMinor: 3700, discountMinor: 0, shippingMinor: 500, taxMinor: 300, totalMinor: 4500, shippingCountry: "DE" },
      at,
    ),
    confirmed: ev(OrderConfirmed, orderId, { ...ref, totalMinor: 4500 }, new Date(at.getTime() + 60_000)),
    cancelled: ev(OrderCancelled, orderId, { ...ref, reason: "customer_request", refundMinor: 4500 }, new Date(at.getTime() + 120_000)),
    refund: ev(
      RefundIssued,
      orderId,
      { ...ref, refundId: newId("rfd"), paymentId: newId("pay"), amountMinor: 4500, reason: "order_cancelled" },
      new Date(at.getTime() + 180_000),
    ),
  };
}

const row = <T>(query: ReturnType<typeof sql>) => withTestDb(async (db) => (await db.execute<T & Record<string, unknown>>(query)).rows);
const day = (d: Date) => d.toISOString().slice(0, 10);
const metric = async (d: string, currency: string, name: string) =>
  Number(
    (
      await row<{ value: string }>(
        sql`select value from analytics.daily_metrics where day = ${d}::date and currency = ${currency} and metric = ${name}`,
      )
    )[0]?.value ?? 0,
  );

describe("exactly once", () => {
  it("loads an order once under duplicated and racing delivery", async () => {
    const currency = uniqueCurrency();
    const at = randomMonday(1960, 1969);
    const o = order(currency, at);
    const retried = await Promise.all([
      deliver([o.created, o.created, o.confirmed]),
      deliver([o.confirmed, o.created]),
      deliver([o.refund]),
      deliver([o.refund, o.confirmed]),
    ]);
    expect(retried).toEqual([0, 0, 0, 0]);
    expect(
      await row(
        sql`select line_no, quantity, confirmed_at is not null as confirmed from analytics.order_line_facts where order_id = ${o.orderId} order by line_no`,
      ),
    ).toEqual([
      { line_no: 1, quantity: 2, confirmed: true },
      { line_no: 2, quantity: 1, confirmed: true },
    ]);
    expect(
      await row(
        sql`select status, units, total_minor, refunded_minor, refund_count from analytics.order_facts where order_id = ${o.orderId}`,
      ),
    ).toEqual([{ status: "confirmed", units: 3, total_minor: "4500", refunded_minor: "4500", refund_count: 1 }]);
    expect(await metric(day(at), currency, "orders_confirmed")).toBe(1);
    expect(await metric(day(at), currency, "revenue_minor")).toBe(4500);
    expect(await metric(day(at), currency, "units_confirmed")).toBe(3);
    expect(await metric(day(at), currency, "refunds_minor")).toBe(4500);
  });

  it("writes nothing twice when an event's statement runs again (without the framework's processed mark)", async () => {
    const currency = uniqueCurrency();
    const at = randomMonday(1960, 1969);
    const o = order(currency, at);
    const registered = ev(
      UserRegistered,
      o.userId,
      { userId: o.userId, role: "customer", locale: "en", via: "registration", emailVerified: false },
      at,
    );
    const pz = pseudonymizer(piiKeyOf(testEnv));
    await withTestDb(async (db) => {
      for (let round = 0; round < 2; round++) {
        for (const e of [o.created, o.confirmed, o.refund, registered])
          await db.execute(composeStatement(factCtes(await scrubEvent(e, pz))));
      }
    });
    const key = await pz(o.userId);
    expect((await row(sql`select count(*)::int as n from analytics.order_line_facts where order_id = ${o.orderId}`))[0]).toEqual({ n: 2 });
    expect((await row(sql`select count(*)::int as n from analytics.payment_facts where order_id = ${o.orderId}`))[0]).toEqual({ n: 1 });
    expect((await row(sql`select count(*)::int as n from analytics.signup_facts where customer_key = ${key}`))[0]).toEqual({ n: 1 });
    expect(await metric(day(at), currency, "checkouts_started")).toBe(1);
    expect(await metric(day(at), currency, "orders_confirmed")).toBe(1);
    expect(await metric(day(at), currency, "refunds")).toBe(1);
  });
});

describe("out of order", () => {
  it("gives the same order whatever order its events arrive in, and never moves its status back", async () => {
    const currency = uniqueCurrency();
    const at = randomMonday(1960, 1969);
    const forward = order(currency, at);
    const backward = order(currency, at);
    await deliver([forward.created]);
    await deliver([forward.confirmed]);
    await deliver([forward.cancelled]);
    // The other order's events arrive newest first; its creation, arriving last, cannot undo its cancellation.
    await deliver([backward.cancelled]);
    await deliver([backward.confirmed]);
    await deliver([backward.created]);
    const facts = await row<{ order_id: string }>(sql`
      select order_id, status, units, total_minor, line_count, created_at is not null as c, confirmed_at is not null as k, cancelled_at is not null as x
      from analytics.order_facts where order_id in (${forward.orderId}, ${backward.orderId})`);
    const strip = ({ order_id: _, ...rest }: Record<string, unknown>) => rest;
    expect(facts).toHaveLength(2);
    expect(strip(facts[0]!)).toEqual({ status: "cancelled", units: 3, total_minor: "4500", line_count: 2, c: true, k: true, x: true });
    expect(strip(facts[1]!)).toEqual(strip(facts[0]!));
    const lines = await row<{ confirmed: boolean; cancelled: boolean }>(sql`
      select confirmed_at is not null as confirmed, cancelled_at is not null as cancelled from analytics.order_line_facts where order_id in (${forward.orderId}, ${backward.orderId})`);
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.confirmed && l.cancelled)).toBe(true);
    // Both orders count the same in the day's totals, units included (known only once the creation arrived).
    expect(await metric(day(at), currency, "orders_confirmed")).toBe(2);
    expect(await metric(day(at), currency, "units_confirmed")).toBe(6);
    expect(await metric(day(at), currency, "orders_cancelled")).toBe(2);
  });

  it("keeps the newest product snapshot when an older one arrives late", async () => {
    const productId = newId("prd");
    const snap = (version: number, name: string, category: string): ProductSnapshot => ({
      productId,
      slug: `p-${productId.toLowerCase()}`,
      name,
      description: "",
      status: "active",
      brand: null,
      category: { id: category, slug: category, name: category, path: category },
      tags: [],
      imageUrl: null,
      variants: [{ variantId: newId("var"), sku: `SKU-${productId}`, options: {}, priceMinor: 100, compareAtMinor: null, currency: "USD" }],
      version,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
    await deliver([ev(ProductUpdated, productId, { product: snap(3, "Newest", "cat_new"), changed: ["name"] })]);
    await deliver([ev(ProductUpdated, productId, { product: snap(2, "Older", "cat_old"), changed: ["name"] })]);
    expect(await row(sql`select name, category_id, version from analytics.product_dim where product_id = ${productId}`)).toEqual([
      { name: "Newest", category_id: "cat_new", version: 3 },
    ]);
    expect(await row(sql`select product_id from analytics.sku_dim where sku = ${`SKU-${productId}`}`)).toEqual([{ product_id: productId }]);
  });
});

describe("an erased account", () => {
  it("loses its sign-up and its facts move to a fresh pseudonym, totals unchanged", async () => {
    const currency = uniqueCurrency();
    const at = randomMonday(1960, 1969);
    const o = order(currency, at);
    await deliver([
      ev(UserRegistered, o.userId, { userId: o.userId, role: "customer", locale: "en", via: "registration", emailVerified: true }, at),
      o.created,
      o.confirmed,
    ]);
    const key = await pseudonymizer(piiKeyOf(testEnv))(o.userId);
    expect(await row(sql`select count(*)::int as n from analytics.order_facts where customer_key = ${key}`)).toEqual([{ n: 1 }]);
    await deliver([ev(UserDeleted, o.userId, { userId: o.userId, deletedBy: "self" })]);
    expect(await row(sql`select count(*)::int as n from analytics.signup_facts where customer_key = ${key}`)).toEqual([{ n: 0 }]);
    const after = await row<{ customer_key: string; total_minor: string }>(
      sql`select customer_key, total_minor from analytics.order_facts where order_id = ${o.orderId}`,
    );
    expect(after[0]!.customer_key).not.toBe(key);
    expect(after[0]!.customer_key).toMatch(/^psn_/);
    expect(after[0]!.total_minor).toBe("4500");
  });
});
