/**
 * Helpers of the backup tests: a shop seeded over HTTP with orders in every
 * resting state, a cart and live holds; every read the API gives about it;
 * and the destruction of every table and of the seeded objects.
 */
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { ObjectSnapshot } from "../../workers/platform/cloudflare/object-snapshot.ts";
import { cancel, confirm, json, order, quiesce, settle, shopper, stocked } from "../checkout/fixtures.ts";
import { testBindings, withTestDb } from "../helpers/db.ts";
import { api, eventually } from "../helpers/http.ts";
import type { TestUser } from "../helpers/identity.ts";

export interface SeededShop {
  buyer: TestUser;
  browser: TestUser;
  skus: string[];
  orders: Record<string, string>;
}

const moveShipment = async (shipmentId: string, status: string) =>
  expect((await api(`/api/delivery/shipments/${shipmentId}/status`, { method: "POST", json: { status } })).status).toBe(200);

async function whenStatus(token: string, orderId: string, status: string): Promise<void> {
  await eventually(
    async () => {
      const o = (await (await api(`/api/orders/${orderId}`, { token })).json()) as { status: string };
      return o.status === status ? true : undefined;
    },
    20_000,
    `order ${status}`,
  );
}

/** Orders pending, awaiting payment, confirmed, shipped, delivered and cancelled; a filled cart; stock with live holds. */
export async function seedShop(): Promise<SeededShop> {
  const buyer = await shopper();
  const browser = await shopper();
  const { skus } = await stocked([1500, 2500, 900], 30);
  const [a, b, c] = skus as [string, string, string];
  const t = buyer.accessToken;
  const orders: Record<string, string> = {};

  orders.pending = (await order(t, [{ sku: a, quantity: 2 }])).id;
  orders.awaiting = (await order(t, [{ sku: b, quantity: 1 }])).id;
  await confirm(t, orders.awaiting, "pm_card_async");
  expect(await settle(orders.awaiting)).toBe("awaiting_payment");

  orders.confirmed = (
    await order(t, [
      { sku: a, quantity: 1 },
      { sku: c, quantity: 3 },
    ])
  ).id;
  await json(await confirm(t, orders.confirmed), 200);

  for (const status of ["shipped", "delivered"] as const) {
    const id = (await order(t, [{ sku: b, quantity: 2 }])).id;
    const confirmed = await json<{ shipment: { id: string } }>(await confirm(t, id), 200);
    await moveShipment(confirmed.shipment.id, "dispatched");
    await whenStatus(t, id, "shipped");
    if (status === "delivered") {
      await moveShipment(confirmed.shipment.id, "delivered");
      await whenStatus(t, id, "delivered");
    }
    orders[status] = id;
  }

  orders.cancelled = (await order(t, [{ sku: c, quantity: 1 }])).id;
  await json(await cancel(t, orders.cancelled), 200);
  expect(await settle(orders.cancelled)).toBe("cancelled");

  for (const [sku, quantity] of [
    [a, 1],
    [c, 2],
  ] as const)
    expect((await api("/api/cart/items", { method: "POST", token: browser.accessToken, json: { sku, quantity } })).status).toBe(200);
  await quiesce();
  return { buyer, browser, skus, orders };
}

async function read(path: string, token?: string): Promise<unknown> {
  const res = await api(path, token === undefined ? {} : { token });
  return { status: res.status, body: await res.json() };
}

/** Every read the API offers about the seeded shop, as its callers see it. */
export async function apiReads(shop: SeededShop): Promise<Record<string, unknown>> {
  const reads: Record<string, unknown> = {};
  const t = shop.buyer.accessToken;
  reads.orderList = await read("/api/orders", t);
  for (const [state, id] of Object.entries(shop.orders)) {
    reads[`order:${state}`] = await read(`/api/orders/${id}`, t);
    reads[`payments:${state}`] = await read(`/api/payments?orderId=${id}`);
  }
  reads.myPayments = await read("/api/payments", t);
  reads.cart = await read("/api/cart", shop.browser.accessToken);
  reads.me = await read("/api/users/me", t);
  for (const sku of shop.skus) {
    reads[`stock:${sku}`] = await read(`/api/inventory/${sku}`);
    reads[`ledger:${sku}`] = await read(`/api/inventory/${sku}/ledger`);
  }
  return reads;
}

const EMPTY: ObjectSnapshot = { format: 1, tables: {}, kv: {} };

/** Loses everything: every row of every family's tables, and the seeded SKUs', reservations' and cart's objects. */
export async function destroyEverything(shop: SeededShop, reservations: string[]): Promise<void> {
  await withTestDb(async (db) => {
    const r = await db.execute<{ t: string }>(sql`
      select format('%I.%I', table_schema, table_name) as t from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema', 'drizzle', 'public', 'backups')`);
    const tables = r.rows.map((x) => x.t);
    await db.transaction(async (tx) => {
      for (const t of tables) await tx.execute(sql.raw(`alter table ${t} disable trigger user`));
      await tx.execute(sql.raw(`truncate table ${tables.join(", ")}`));
      for (const t of tables) await tx.execute(sql.raw(`alter table ${t} enable trigger user`));
    });
  });
  for (const sku of shop.skus) await testBindings.INVENTORY.get(testBindings.INVENTORY.idFromName(sku)).importSnapshot(EMPTY);
  for (const id of reservations) await testBindings.RESERVATION.get(testBindings.RESERVATION.idFromName(id)).importSnapshot(EMPTY);
  await testBindings.CART.get(testBindings.CART.idFromName(`user:${shop.browser.userId}`)).importSnapshot(EMPTY);
}
