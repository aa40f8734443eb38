/** The family's jobs: the product dimension filled from the catalogue, and old lag histogram minutes forgotten. */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { newBrand, newProduct } from "../products/test-fixtures.ts";
import { settle } from "./test-fixtures.ts";

const run = async (job: string) => {
  const res = await api(`/api/scheduler/jobs/${job}/run`, { method: "POST" });
  expect(res.status).toBe(200);
  return (await res.json()) as { outcome: string; result: Record<string, number> };
};

// Background work the tests set off (queues, alarms) finishes before the environment goes.
afterAll(() => settle());

describe("analytics-product-sync", () => {
  it("puts back a product the dimension lacks, scrubbed, and keeps a newer one", async () => {
    const brand = await newBrand();
    const product = await newProduct({ name: "Teapot, questions to tea@pots.example", brandId: brand.id });
    const dim = () =>
      withTestDb(
        async (db) =>
          (
            await db.execute<{ name: string; brand_id: string | null; version: number }>(
              sql`select name, brand_id, version from analytics.product_dim where product_id = ${product.id}`,
            )
          ).rows[0],
      );
    await eventually(dim, 15_000, "the product's event in the dimension");
    await withTestDb((db) => db.execute(sql`delete from analytics.product_dim where product_id = ${product.id}`));
    const r = await run("analytics-product-sync");
    expect(r.outcome).toBe("succeeded");
    expect(r.result.products).toBeGreaterThan(0);
    expect({ ...(await dim()) }).toEqual({ name: "Teapot, questions to [email]", brand_id: brand.id, version: product.version });
    await withTestDb((db) =>
      db.execute(sql`update analytics.product_dim set name = 'From a newer event', version = version + 1 where product_id = ${product.id}`),
    );
    await run("analytics-product-sync");
    expect((await dim())!.name).toBe("From a newer event");
  });
});

describe("pipeline-stats-prune", () => {
  it("deletes histogram minutes older than a week and keeps recent ones", async () => {
    const type = `PruneProbe${crypto.randomUUID().slice(0, 8)}`;
    await withTestDb((db) =>
      db.execute(sql`insert into pipeline.lag_histogram (topic, type, minute, bucket, count) values
      ('maintenance', ${type}, date_trunc('minute', now() - interval '8 days'), 3, 5), ('maintenance', ${type}, date_trunc('minute', now()), 3, 1)`),
    );
    expect((await run("pipeline-stats-prune")).outcome).toBe("succeeded");
    const left = await withTestDb(
      async (db) =>
        (await db.execute<{ n: number }>(sql`select count(*)::int as n from pipeline.lag_histogram where type = ${type}`)).rows[0]!.n,
    );
    expect(left).toBe(1);
  });
});
