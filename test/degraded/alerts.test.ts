/**
 * A database outage as the operators see it: the outage watch raises exactly
 * one alert however many requests meet the outage, and one recovery; the
 * metrics count the 503s by code, the stale copies served and the time spent
 * degraded; and the events the shop produced during the outage reach every
 * consumer group after it (processed, or parked in the dead-letter table and
 * replayed from there).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSUMER_GROUPS } from "../../queues/routing.ts";
import type { CartBody } from "../../workers/cart/schemas.ts";
import { json, newProduct, type ProductBody, uid } from "../../workers/products/test-fixtures.ts";
import { testBindings, withTestDb } from "../helpers/db.ts";
import { api, eventually } from "../helpers/http.ts";
import { registerAndLogin, type TestUser } from "../helpers/identity.ts";
import { database } from "../helpers/outage.ts";

/** A product listing no cache holds: a price bound no other request uses (the listing refuses unknown parameters). */
const uncachedListing = () => `/api/products?limit=3&maxPrice=${1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)}`;

const watch = () => testBindings.OUTAGE_WATCH.get(testBindings.OUTAGE_WATCH.idFromName("database"));

/** One sample of the Prometheus text (summed over the series whose labels include `labels`). */
async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await api("/api/metrics");
  expect(res.status).toBe(200);
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of (await res.text()).split("\n")) {
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (m?.[1] === `edge_commerce_${name}` && wanted.every((w) => (m[2] ?? "").includes(w))) total += Number(m[3]);
  }
  return total;
}

describe("a database outage, as operators see it", () => {
  let product: ProductBody;
  let shopper: TestUser;
  let sku: string;

  beforeAll(async () => {
    product = await newProduct({ name: `Watch${uid()} lamp`, variants: [{ priceMinor: 1500 }] });
    sku = product.variants[0]!.sku;
    expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 10 } })).status).toBe(200);
    shopper = await registerAndLogin();
    expect((await api(`/api/products/${product.id}`, { token: shopper.accessToken })).status).toBe(200);
    await json<CartBody>(await api("/api/cart/items", { method: "POST", token: shopper.accessToken, json: { sku, quantity: 1 } }), 200);
    // An edit purges the fresh copy; the last-good copy stays, so the page is served stale through the outage.
    const etag = (await api(`/api/products/${product.id}`)).headers.get("etag")!;
    const patched = await api(`/api/products/${product.id}`, {
      method: "PATCH",
      json: { name: `${product.name} v2` },
      headers: { "if-match": etag },
    });
    expect(patched.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // the last-good copies are written in the background
  });

  afterAll(() => database("start"));

  it("raises one alert and one recovery, counts what degraded mode served, and loses no event", async () => {
    const before = await watch().status();
    const unavailableBefore = await metric("http_problems_total", { code: "DATABASE_UNAVAILABLE", status: "503" });
    const staleBefore = await metric("last_good_served_total");
    const outageStarted = new Date();

    await database("kill");
    let cartId: string;
    try {
      const reads = await Promise.all(Array.from({ length: 8 }, () => api(uncachedListing(), { token: null })));
      expect(reads.map((r) => r.status)).toEqual(Array(8).fill(503));
      for (let i = 0; i < 3; i++) {
        const page = await api(`/api/products/${product.id}`, { token: null });
        expect(page.headers.get("x-cache")).toBe("STALE");
      }
      // A cart change during the outage: its event waits in the cart object's outbox and the queues.
      const cart = await json<CartBody>(
        await api("/api/cart/items", { method: "POST", token: shopper.accessToken, json: { sku, quantity: 2 } }),
        200,
      );
      cartId = cart.cartId!;
      expect((await api("/api/health", { token: null })).status).toBe(200);

      const during = await eventually(
        async () => {
          const s = await watch().status();
          return s.alertsDelivered === before.alertsDelivered + 1 ? s : undefined;
        },
        10_000,
        "the outage alert",
      );
      expect(during).toMatchObject({ status: "down", outages: before.outages + 1, pendingAlerts: 0 });
      expect(during.recentAlerts.at(-1)).toMatchObject({ kind: "outage", dependency: "database" });
      expect(await metric("dependency_down", { dependency: "database" })).toBe(1);
      expect(await metric("http_problems_total", { code: "DATABASE_UNAVAILABLE", status: "503" })).toBeGreaterThanOrEqual(
        unavailableBefore + 8,
      );
      expect(await metric("last_good_served_total")).toBeGreaterThanOrEqual(staleBefore + 3);
      await new Promise((r) => setTimeout(r, 1500));
      // Still down and failing requests: no second alert.
      expect((await api(uncachedListing(), { token: null })).status).toBe(503);
    } finally {
      await database("start");
    }

    const after = await eventually(
      async () => {
        const s = await watch().status();
        return s.status === "up" && s.pendingAlerts === 0 ? s : undefined;
      },
      20_000,
      "the recovery",
    );
    expect(after.alertsDelivered).toBe(before.alertsDelivered + 2);
    const [outage, recovered] = after.recentAlerts.slice(-2);
    expect(outage!.kind).toBe("outage");
    expect(recovered).toMatchObject({ kind: "recovered", id: `${outage!.id}-recovered` });
    expect(after.downSecondsTotal).toBeGreaterThanOrEqual(before.downSecondsTotal + 1);
    expect(await metric("dependency_down", { dependency: "database" })).toBe(0);
    expect((await api(`/api/products/${product.id}`, { token: null })).headers.get("x-cache")).not.toBe("STALE");
    await new Promise((r) => setTimeout(r, 500));
    expect((await watch().status()).alertsDelivered).toBe(before.alertsDelivered + 2);

    // The cart event written during the outage reaches every group that follows carts, directly or through its dead letters.
    const groups = CONSUMER_GROUPS.filter((g) => (g.topics as readonly string[]).includes("cart"));
    const eventId = await eventually(
      () =>
        withTestDb(async (db) => {
          const r = await db.execute<{ event_id: string }>(
            sql`select event_id from audit.entries where type = 'ItemAddedToCart' and subject_id = ${cartId} and occurred_at >= ${outageStarted.toISOString()}`,
          );
          return r.rows[0]?.event_id;
        }),
      30_000,
      "the outage's cart event in the audit trail",
    );
    for (const group of groups) {
      await eventually(
        async () => {
          const state = await withTestDb(async (db) => {
            const done = await db.execute(
              sql`select 1 from events.processed_events where consumer = ${group.name} and event_id = ${eventId}`,
            );
            if (done.rows.length > 0) return "processed";
            const parked = await db.execute<{ id: string }>(
              sql`select id from pipeline.dead_letters where message_key = ${eventId} and queue = ${group.queue} and status = 'parked'`,
            );
            return parked.rows[0]?.id ?? null;
          });
          if (state === "processed") return true;
          if (state) expect((await api(`/api/pipeline/dead-letters/${state}/replay`, { method: "POST" })).status).toBe(200);
          return undefined;
        },
        40_000,
        `${eventId} in ${group.name}`,
      );
    }
  });
});
