/**
 * ProductViewed from the catalogue's product reads: batched in the
 * background, straight to the pipeline (the buffer on its own, with a fake
 * queue), then from a real read over HTTP to a view fact.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { piiKeyOf, pseudonymizer } from "../pipeline/index.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { ViewBuffer, type ViewSink } from "./product-views.ts";
import { newProduct } from "./test-fixtures.ts";

const envelope = (i: number) => ({ id: `evt_${i}` }) as Envelope;

function fakeSink(fail = 0) {
  const batches: number[] = [];
  let failures = fail;
  const sink: ViewSink = {
    async sendBatch(messages) {
      if (failures-- > 0) throw new Error("queue unavailable");
      batches.push(messages.length);
    },
  };
  return { sink, batches };
}

// Background work the tests set off (queues, alarms) finishes before the environment goes.
afterAll(() => new Promise((r) => setTimeout(r, 500)));

describe("the view buffer", () => {
  it("sends views in batches of at most 100, once per flush, in the background", async () => {
    const { sink, batches } = fakeSink();
    const background: Promise<unknown>[] = [];
    const buffer = new ViewBuffer(5);
    for (let i = 0; i < 250; i++) buffer.add(sink, envelope(i), (p) => background.push(p));
    await Promise.all(background);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(250);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    expect(buffer.size).toBe(0);
  });

  it("drops a batch the queue refuses (loss-tolerant) and never throws into the read", async () => {
    const { sink, batches } = fakeSink(1);
    const background: Promise<unknown>[] = [];
    const buffer = new ViewBuffer(5);
    for (let i = 0; i < 3; i++) buffer.add(sink, envelope(i), (p) => background.push(p));
    await Promise.all(background);
    expect(batches).toEqual([]);
    buffer.add(sink, envelope(9), (p) => background.push(p));
    await Promise.all(background);
    expect(batches).toEqual([1]);
  });
});

describe("product reads", () => {
  it("become view facts with the shopper's pseudonym, by id and by slug; staff reads do not count", async () => {
    const product = await newProduct();
    const shopper = await registerAndLogin();
    await eventually(
      async () =>
        (await withTestDb((db) => db.execute(sql`select 1 from analytics.product_dim where product_id = ${product.id}`))).rows.length
          ? true
          : undefined,
      15_000,
      "the product in the dimension",
    );
    expect((await api(`/api/products/${product.id}`, { token: shopper.accessToken })).status).toBe(200);
    expect((await api(`/api/products/${product.slug}`, { token: null })).status).toBe(200);
    expect((await api(`/api/products/${product.id}`)).status).toBe(200); // the operations token: not a shopper
    const views = await eventually(
      async () => {
        const r = await withTestDb((db) =>
          db.execute<{ product_ref: string; product_id: string | null; customer_key: string | null }>(
            sql`select product_ref, product_id, customer_key from analytics.product_view_facts where product_id = ${product.id} order by viewed_at`,
          ),
        );
        return r.rows.length >= 2 ? r.rows : undefined;
      },
      15_000,
      "two view facts",
    );
    const key = await pseudonymizer(piiKeyOf(testEnv))(shopper.userId);
    expect(views.map((v) => ({ ...v }))).toEqual(
      expect.arrayContaining([
        { product_ref: product.id, product_id: product.id, customer_key: key },
        { product_ref: product.slug, product_id: product.id, customer_key: null },
      ]),
    );
    await new Promise((r) => setTimeout(r, 600));
    const all = await withTestDb((db) => db.execute(sql`select 1 from analytics.product_view_facts where product_id = ${product.id}`));
    expect(all.rows).toHaveLength(2);
  });
});
