/**
 * Across families over HTTP: a product created through the catalogue API
 * reaches the recommendations projection through the outbox and the
 * `recommendations` queue, and a shopper's product page read reaches the
 * signal log as a view of that shopper.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { newCategory, newProduct } from "../products/test-fixtures.ts";

const row = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
  withTestDb(async (db) => (await db.execute<T>(query)).rows[0]);

describe("from the catalogue and its product pages", () => {
  it("projects a new product and records a shopper's view of it", async () => {
    const category = await newCategory();
    const p = await newProduct({ categoryId: category.id, tags: ["trail"] });
    const item = await eventually(
      () =>
        row<{ category_path: string; tags: string[]; status: string }>(sql`
        select category_path, tags, status from recommendations.items where product_id = ${p.id}`),
      15_000,
      "the product in the recommendations projection",
    );
    expect(item).toMatchObject({ category_path: category.path, tags: ["trail"], status: "active" });

    const shopper = await registerAndLogin();
    expect((await api(`/api/products/${p.slug}`, { token: shopper.accessToken })).status).toBe(200);
    const view = await eventually(
      () =>
        row<{ kind: string; weight: number }>(sql`
        select kind, weight from recommendations.signals where user_id = ${shopper.userId} and product_id = ${p.id}`),
      15_000,
      "the view in the signal log",
    );
    expect(view).toMatchObject({ kind: "view", weight: 1 });
  });
});
