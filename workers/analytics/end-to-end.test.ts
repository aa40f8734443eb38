/**
 * A seeded end-to-end run: shoppers register, browse and fill carts over
 * HTTP, stock runs low and out, and orders, payments, refunds and deliveries
 * happen as their contracts describe them (those families emit them; here
 * they are built through the contracts and sent to the pipeline's queue).
 * Names, emails, phone numbers and tracking numbers are planted on the way.
 * Afterwards, no column of any analytics table holds an email, a phone
 * number, a raw user id or any planted value, checked in SQL over every
 * text and JSON column of the schema.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { DeliveryCompleted, ShipmentCreated, ShipmentDispatched } from "../../queues/contracts/events/delivery.ts";
import { OrderCompleted, OrderConfirmed, OrderCreated, ReturnInitiated } from "../../queues/contracts/events/order.ts";
import { PaymentProcessed, RefundIssued } from "../../queues/contracts/events/payment.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { processedBy } from "../../test/helpers/events.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin, type TestUser } from "../../test/helpers/identity.ts";
import { piiKeyOf, pseudonymizer } from "../pipeline/index.ts";
import { buildEvent, type EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import { json, newCategory, newProduct, type ProductBody } from "../products/test-fixtures.ts";
import { settle } from "./test-fixtures.ts";

/** Independent of the pipeline's own patterns: any address, any run of 9+ digits with separators standing on its own, any raw user id. */
const EMAIL = String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`;
const PHONE = String.raw`(^|[^A-Za-z0-9_-])\+?\(?[0-9]([ ().-]{0,2}[0-9]){8,}($|[^A-Za-z0-9_])`;
const USER_ID = `usr_[0-9A-HJKMNP-TV-Z]{26}`;

const PLANTED = { name: "Ada Lovelace", phone: "+44 20 7946 0958", tracking: "JD014600006281234567", mail: "orders@ada-lovelace.example" };

let shoppers: TestUser[];
let products: ProductBody[];
const sent: Envelope[] = [];

const send = async (events: Envelope[]) => {
  sent.push(...events);
  await testEnv.queues.sendBatch("Q_PIPELINE", events);
};

function orderStory(user: TestUser, product: ProductBody): Envelope[] {
  const orderId = newId("ord");
  const ref = { orderId, orderNumber: `EC-2026-${orderId.slice(-6)}`, userId: user.userId };
  const money = { ...ref, currency: "USD" };
  const sku = product.variants[0]!.sku;
  const shipment = {
    ...ref,
    shipmentId: newId("shp"),
    carrier: "DHL",
    trackingNumber: PLANTED.tracking,
    trackingUrl: `https://track.example/${PLANTED.tracking}`,
  };
  const e = <S extends z.ZodType>(c: EventContract<string, S>, payload: z.input<S>, actor = true): Envelope =>
    buildEvent(c, {
      subjectId: orderId,
      source: "test",
      correlationId: `req-${orderId}`,
      actor: actor ? { type: "user", id: user.userId } : { type: "system", id: "orders" },
      payload,
    });
  return [
    e(OrderCreated, {
      ...money,
      lines: [
        {
          sku,
          productId: product.id,
          name: `${product.name} for ${PLANTED.name}, call ${PLANTED.phone}`,
          quantity: 2,
          unitPriceMinor: 1000,
        },
      ],
      subtotalMinor: 2000,
      discountMinor: 0,
      shippingMinor: 499,
      taxMinor: 200,
      totalMinor: 2699,
      shippingCountry: "GB",
    }),
    e(
      PaymentProcessed,
      { ...money, paymentId: newId("pay"), amountMinor: 2699, provider: `sandbox ${PLANTED.mail}`, stage: "captured" },
      false,
    ),
    e(OrderConfirmed, { ...money, totalMinor: 2699 }, false),
    e(ShipmentCreated, { ...shipment, country: "GB" }, false),
    e(ShipmentDispatched, { ...shipment, estimatedDelivery: "2026-12-01" }, false),
    e(DeliveryCompleted, { ...ref, shipmentId: shipment.shipmentId, deliveredAt: new Date().toISOString() }, false),
    e(OrderCompleted, { ...money, totalMinor: 2699, completedAt: new Date().toISOString() }, false),
    e(ReturnInitiated, { ...ref, returnId: newId("ret"), reason: "damaged", itemCount: 1, returnBy: "2026-12-31" }),
    e(RefundIssued, { ...money, refundId: newId("rfd"), paymentId: newId("pay"), amountMinor: 1000, reason: "return_received" }, false),
  ];
}

const count = (query: ReturnType<typeof sql>) => withTestDb(async (db) => Number((await db.execute<{ n: number }>(query)).rows[0]!.n));

// Background work the tests set off (queues, alarms) finishes before the environment goes.
afterAll(() => settle());

beforeAll(async () => {
  shoppers = await Promise.all([0, 1, 2].map((i) => registerAndLogin("customer", { name: i === 0 ? PLANTED.name : `Shopper ${i}` })));
  const category = await newCategory(`Mugs, ask ${PLANTED.mail}`);
  products = await Promise.all([
    // Catalogue text is the merchant's, but contact details in it must not reach analytics.
    newProduct({ name: `Mug, call ${PLANTED.phone}`, categoryId: category.id }),
    newProduct({ categoryId: category.id }),
  ]);
  for (const p of products) {
    const sku = p.variants[0]!.sku;
    expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 10 } })).status).toBe(200);
  }
  // Stock runs low, then out, on the second product.
  const lowSku = products[1]!.variants[0]!.sku;
  expect((await api(`/api/inventory/${lowSku}/settings`, { method: "PUT", json: { lowStockThreshold: 5 } })).status).toBeLessThan(300);
  expect(
    (await api(`/api/inventory/${lowSku}/adjust`, { method: "POST", json: { delta: -7, reason: `damaged, reported by ${PLANTED.mail}` } }))
      .status,
  ).toBe(200);
  expect((await api(`/api/inventory/${lowSku}/adjust`, { method: "POST", json: { delta: -3, reason: "lost" } })).status).toBe(200);
  for (const [i, s] of shoppers.entries()) {
    for (const p of products) expect((await api(`/api/products/${i % 2 ? p.slug : p.id}`, { token: s.accessToken })).status).toBe(200);
    await json(
      await api("/api/cart/items", { method: "POST", token: s.accessToken, json: { sku: products[0]!.variants[0]!.sku, quantity: 1 } }),
      200,
    );
  }
  await api(`/api/products/${products[0]!.id}`, { token: null });
  for (const s of shoppers.slice(0, 2)) await send(orderStory(s, products[0]!));

  // Everything has arrived when every sent event is processed and the HTTP-driven facts are there.
  const pz = pseudonymizer(piiKeyOf(testEnv));
  const keys = await Promise.all(shoppers.map((s) => pz(s.userId)));
  const list = sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  );
  await eventually(
    async () => {
      for (const e of sent) if (!(await processedBy("pipeline", e.id))) return undefined;
      const signups = await count(sql`select count(*)::int as n from analytics.signup_facts where customer_key in (${list})`);
      const carts = await count(sql`select count(*)::int as n from analytics.cart_facts where customer_key in (${list})`);
      const views = await count(sql`select count(*)::int as n from analytics.product_view_facts where customer_key in (${list})`);
      const outs = await count(
        sql`select count(*)::int as n from analytics.inventory_facts where sku = ${lowSku} and kind = 'out_of_stock'`,
      );
      return signups === 3 && carts === 3 && views === 6 && outs === 1 ? true : undefined;
    },
    30_000,
    "the whole run to reach analytics",
  );
}, 90_000);

describe("after a full run", () => {
  it("every fact family has rows from it", async () => {
    // Every event of an order's story names the order as its subject.
    const orderIds = sent.filter((e) => e.type === "OrderCreated").map((e) => e.subjectId);
    const ids = sql.join(
      orderIds.map((i) => sql`${i}`),
      sql`, `,
    );
    expect(
      await count(
        sql`select count(*)::int as n from analytics.order_facts where order_id in (${ids}) and status = 'completed' and returned_at is not null and refunded_minor = 1000`,
      ),
    ).toBe(2);
    expect(await count(sql`select count(*)::int as n from analytics.order_line_facts where order_id in (${ids})`)).toBe(2);
    expect(await count(sql`select count(*)::int as n from analytics.payment_facts where order_id in (${ids})`)).toBe(4);
    expect(await count(sql`select count(*)::int as n from analytics.delivery_facts where order_id in (${ids})`)).toBe(6);
    expect(
      await count(
        sql`select count(*)::int as n from analytics.product_dim where product_id = ${products[0]!.id} and name = 'Mug, call [phone]' and category_name like 'Mugs, ask [email]'`,
      ),
    ).toBe(1);
    expect(
      await count(
        sql`select count(*)::int as n from analytics.sku_stock where sku = ${products[1]!.variants[0]!.sku} and status = 'out_of_stock'`,
      ),
    ).toBe(1);
  });

  it("no analytics table holds an email, a phone number, a raw user id or a planted value", async () => {
    const found = await withTestDb(async (db) => {
      const columns = await db.execute<{ table_name: string; column_name: string }>(sql`
        select table_name, column_name from information_schema.columns
        where table_schema = 'analytics' and data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
        order by table_name, column_name`);
      expect(columns.rows.length).toBeGreaterThan(30);
      const hits: string[] = [];
      for (const { table_name, column_name } of columns.rows) {
        const col = sql.raw(`"${column_name}"::text`);
        const planted = sql.join(
          Object.values(PLANTED).map((v) => sql`position(${v} in ${col}) > 0`),
          sql` or `,
        );
        const r = await db.execute<{ n: number; sample: string | null }>(sql`
          select count(*)::int as n, min(${col}) as sample from ${sql.raw(`analytics."${table_name}"`)}
          where ${col} ~ ${EMAIL} or ${col} ~ ${PHONE} or ${col} ~ ${USER_ID} or ${planted}`);
        if (r.rows[0]!.n > 0) hits.push(`${table_name}.${column_name}: ${r.rows[0]!.n} rows, e.g. ${r.rows[0]!.sample}`);
      }
      return hits;
    });
    expect(found).toEqual([]);
  });

  it("the scan itself finds what it looks for", async () => {
    const probes = ["write to a.b@c.example", "call +44 20 7946 0958", "(555) 123-4567", `usr_${"0".repeat(26)}`];
    const misses = ["EC-2026-000123", "psn_Ab3dE5gH7jK9mN1pQ3sT5v", "ord_01JB8ZK3M4N5P6Q7R8S9T0V1W2", "T-1234567890"];
    const check = (v: string) =>
      withTestDb(
        async (db) =>
          (await db.execute<{ hit: boolean }>(sql`select (${v} ~ ${EMAIL} or ${v} ~ ${PHONE} or ${v} ~ ${USER_ID}) as hit`)).rows[0]!.hit,
      );
    for (const v of probes) expect(await check(v), v).toBe(true);
    for (const v of misses) expect(await check(v), v).toBe(false);
  });
});
