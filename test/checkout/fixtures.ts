/**
 * Helpers of the checkout tests: stocked products, shoppers, orders over
 * HTTP, the order object's alarm fired on demand, and what inventory,
 * payments and delivery report about an order.
 */

import { runDurableObjectAlarm } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Inventory } from "../../durable-objects/inventory/index.ts";
import { type ShipmentView, shipmentForOrder } from "../../workers/delivery/index.ts";
import { loadOrder, type OrderSaga, type OrderStatus, type OrderView } from "../../workers/orders/index.ts";
import { type PaymentView, paymentsForOrder } from "../../workers/payments/index.ts";
import { newProduct, type ProductBody } from "../../workers/products/test-fixtures.ts";
import { testEnv, withTestDb } from "../helpers/db.ts";
import { api } from "../helpers/http.ts";
import { registerAndLogin, type TestUser } from "../helpers/identity.ts";
import { untilProjected } from "../helpers/stock.ts";

/** Oregon has no sales tax: orders shipped here are untaxed, so amounts in checkout tests are the prices themselves. */
export const ADDRESS = {
  name: "Ada Lovelace",
  line1: "1 SW Main St",
  city: "Portland",
  region: "or",
  postalCode: "97204",
  country: "us",
};

export type Problem = {
  status: number;
  code: string;
  detail?: string;
  reason?: string;
  orderId?: string;
  from?: string;
  to?: string;
  errors?: { field: string; message: string }[];
};

export async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** A product whose variants cost `prices` (minor units) with `units` in stock each. */
export async function stocked(prices: number[], units = 20, currency = "USD"): Promise<{ product: ProductBody; skus: string[] }> {
  const product = await newProduct({ variants: prices.map((priceMinor) => ({ priceMinor, currency })) });
  for (const v of product.variants)
    expect((await api(`/api/inventory/${v.sku}/restock`, { method: "POST", json: { quantity: units } })).status).toBe(200);
  const skus = product.variants.map((v) => v.sku);
  // A cart shows the lines it did not just change with the projection's availability.
  await untilProjected(skus, units);
  return { product, skus };
}

export const shopper = (): Promise<TestUser> => registerAndLogin();

export function placeOrder(token: string, body: Record<string, unknown>, key?: string): Promise<Response> {
  return api("/api/orders", {
    method: "POST",
    token,
    json: { shippingAddress: ADDRESS, ...body },
    headers: key ? { "idempotency-key": key } : undefined,
  });
}

export async function order(token: string, lines: { sku: string; quantity: number }[]): Promise<OrderView> {
  return json<OrderView>(await placeOrder(token, { lines }), 201);
}

export function confirm(token: string, orderId: string, paymentMethodId = "pm_card_visa", key?: string): Promise<Response> {
  return api(`/api/orders/${orderId}/confirm?paymentMethodId=${paymentMethodId}`, {
    method: "PUT",
    token,
    headers: key ? { "idempotency-key": key } : undefined,
  });
}

export function cancel(token: string, orderId: string, body?: unknown): Promise<Response> {
  return api(`/api/orders/${orderId}/cancel`, { method: "PUT", token, ...(body === undefined ? {} : { json: body }) });
}

export const getOrder = (token: string | undefined, orderId: string): Promise<Response> =>
  api(`/api/orders/${orderId}`, token === undefined ? {} : { token });

export const orderObject = (orderId: string) => testEnv.objects.get<OrderSaga>("ORDER_SAGA", orderId);

export async function statusOf(orderId: string): Promise<OrderStatus | null> {
  return (await withTestDb((db) => loadOrder(db, orderId)))?.status ?? null;
}

const RESTING: OrderStatus[] = ["pending", "awaiting_payment", "confirmed", "shipped", "delivered", "cancelled"];

/**
 * Fires the order object's alarm until the order rests (no client call):
 * what the platform does by itself, without waiting for the timers.
 */
export async function settle(orderId: string, opts: { until?: OrderStatus[]; timeoutMs?: number } = {}): Promise<OrderStatus> {
  const until = Date.now() + (opts.timeoutMs ?? 20_000);
  const resting = opts.until ?? RESTING;
  for (;;) {
    const status = await statusOf(orderId);
    if (status && resting.includes(status)) return status;
    if (Date.now() > until) throw new Error(`order ${orderId} did not settle: ${status}`);
    const ran = await runDurableObjectAlarm(orderObject(orderId));
    if (!ran) await new Promise((r) => setTimeout(r, 25));
  }
}

export const stockLevel = (sku: string) => testEnv.objects.get<Inventory>("INVENTORY", sku).level(sku);
export const payments = (orderId: string): Promise<PaymentView[]> => withTestDb((db) => paymentsForOrder(db, orderId));
export const shipment = (orderId: string): Promise<ShipmentView | null> => withTestDb((db) => shipmentForOrder(db, orderId));

/** Money the customer is out of for an order: captured minus refunded over its payments. */
export async function netCharged(orderId: string): Promise<number> {
  return (await payments(orderId)).reduce((n, p) => n + p.capturedMinor - p.refundedMinor, 0);
}

/** How many events of `type` the outbox holds about an order (by the payload's orderId, whoever emitted them). */
export function eventsAbout(orderId: string, type: string): Promise<number> {
  return withTestDb(async (db) =>
    Number(
      (
        await db.execute<{ n: string }>(
          sql`select count(*) as n from events.outbox where type = ${type} and envelope->'payload'->>'orderId' = ${orderId}`,
        )
      ).rows[0]!.n,
    ),
  );
}

/**
 * Waits until the event backbone is quiet: nothing left to publish in the
 * outbox and no consumer recording anything for a while. A file ends with it,
 * so consumers still working on its events do not outlive the file's runtime.
 */
export async function quiesce(timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < until) {
    const [state] = await withTestDb(
      async (db) =>
        (
          await db.execute<{ pending: string; processed: string }>(
            sql`select (select count(*) from events.outbox where published_at is null) as pending, (select count(*) from events.processed_events) as processed`,
          )
        ).rows,
    );
    const processed = Number(state!.processed);
    if (processed !== last) {
      last = processed;
      stableSince = Date.now();
    } else if (Number(state!.pending) === 0 && Date.now() - stableSince >= 750) return;
    await new Promise((r) => setTimeout(r, 150));
  }
}
