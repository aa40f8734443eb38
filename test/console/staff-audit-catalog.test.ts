/**
 * Every catalogue write the merchant console offers (products and their
 * images, categories, brands, discounts, promotion codes, stock adjustments),
 * made over HTTP by a member of staff as the console makes it, lands in the
 * audit trail under that staff member's user id (StaffActionAttempted before
 * the route, StaffActionTaken after it, recorded by the gateway for any staff
 * write); a refused write and a customer's own write record no staff action.
 * The list below names each of these console writes as "METHOD /route";
 * staff-audit-operations.test.ts makes the rest, and
 * console/scripts/console-writes.test.ts checks that the two lists cover
 * every write the console's pages send.
 */
import { describe, expect, it } from "vitest";
import { activeProduct, postReview, shopper } from "../../workers/reviews/test-fixtures.ts";
import { api, eventually } from "../helpers/http.ts";
import { registerAndLogin } from "../helpers/identity.ts";
import { body, consoleWrites, type Entry, expectEachWriteAudited, ifMatch, send } from "./staff-write-trail.ts";

// A 1×1 PNG.
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) =>
  c.charCodeAt(0),
);

describe("the audit actor of each console catalogue write", () => {
  it("records the member of staff as the actor of every catalogue write the console offers", { timeout: 240_000 }, async () => {
    const admin = await registerAndLogin("admin");
    const { act, done } = consoleWrites(admin);

    // Catalogue: a product, its edit and publication, an image added and removed.
    const sku = `AUDIT-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const product = await act<{ id: string; version: number }>(
      "POST /api/products",
      send("POST", "/api/products", { name: `Audit lamp ${sku}`, status: "draft", variants: [{ sku, priceMinor: 2000, currency: "USD" }] }),
    );
    const edited = await act<{ version: number }>(
      "PATCH /api/products/{id}",
      send("PATCH", `/api/products/${product.id}`, { status: "active" }, ifMatch(product.version)),
    );
    const withImage = await act<{ version: number; images: { id: string }[] }>("POST /api/products/{id}/images", (staff) =>
      api(`/api/products/${product.id}/images?alt=lamp`, {
        method: "POST",
        token: staff.accessToken,
        body: PNG,
        headers: { "content-type": "image/png", "if-match": `"v${edited.version}"` },
      }),
    );
    await act(
      "DELETE /api/products/{id}/images/{imageId}",
      send("DELETE", `/api/products/${product.id}/images/${withImage.images[0]!.id}`, undefined, ifMatch(withImage.version)),
    );

    // Categories and brands: added, renamed (a category also placed), deleted.
    const category = await act<{ id: string; version: number }>(
      "POST /api/products/categories",
      send("POST", "/api/products/categories", { name: `Audit ${sku}`, parentId: null }),
    );
    const placed = await act<{ version: number }>(
      "PATCH /api/products/categories/{id}",
      send("PATCH", `/api/products/categories/${category.id}`, { position: 3 }, ifMatch(category.version)),
    );
    await act(
      "DELETE /api/products/categories/{id}",
      send("DELETE", `/api/products/categories/${category.id}`, undefined, ifMatch(placed.version)),
    );
    const brand = await act<{ id: string; version: number }>(
      "POST /api/products/brands",
      send("POST", "/api/products/brands", { name: `Audit ${sku}` }),
    );
    const renamed = await act<{ version: number }>(
      "PATCH /api/products/brands/{id}",
      send("PATCH", `/api/products/brands/${brand.id}`, { name: `Audited ${sku}` }, ifMatch(brand.version)),
    );
    await act("DELETE /api/products/brands/{id}", send("DELETE", `/api/products/brands/${brand.id}`, undefined, ifMatch(renamed.version)));

    // A timed discount (scheduled, so it can be withdrawn): created, edited, withdrawn.
    const discount = await act<{ id: string; version: number }>(
      "POST /api/products/discounts",
      send("POST", "/api/products/discounts", {
        name: `Audit sale ${sku}`,
        kind: "percentage",
        percentBp: 1000,
        scope: "product",
        productId: product.id,
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    );
    const changedDiscount = await act<{ version: number }>(
      "PATCH /api/products/discounts/{id}",
      send("PATCH", `/api/products/discounts/${discount.id}`, { percentBp: 1500 }, ifMatch(discount.version)),
    );
    await act(
      "DELETE /api/products/discounts/{id}",
      send("DELETE", `/api/products/discounts/${discount.id}`, undefined, ifMatch(changedDiscount.version)),
    );

    // A promotion code: created, its terms changed, ended.
    const code = await act<{ id: string; version: number }>(
      "POST /api/promotions",
      send("POST", "/api/promotions", { code: `AUD${sku.slice(6)}`, kind: "percentage", percentBp: 500 }),
    );
    await act("PATCH /api/promotions/{id}", send("PATCH", `/api/promotions/${code.id}`, { usageLimit: 10 }, ifMatch(code.version)));
    await act("DELETE /api/promotions/{id}", send("DELETE", `/api/promotions/${code.id}`));

    // Stock adjusted with a reason.
    expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 5 } })).status).toBe(200);
    await act("POST /api/inventory/{sku}/adjust", send("POST", `/api/inventory/${sku}/adjust`, { delta: -1, reason: "damaged in store" }));

    // Every write is in the trail, under the admin's user id.
    const subjectOf = await expectEachWriteAudited(admin, done, CATALOG_WRITES);
    expect(subjectOf("POST /api/products")).toBe(product.id);
    expect(subjectOf("PATCH /api/products/categories/{id}")).toBe(category.id);
    expect(subjectOf("POST /api/inventory/{sku}/adjust")).toBe(sku);
  });

  it("records no action taken for a refused write, and nothing for a customer's own write", async () => {
    const support = await registerAndLogin("support");
    // Refused: support may not create categories (403), and a bad body is a 422.
    expect((await send("POST", "/api/products/categories", { name: "Nope", parentId: null })(support)).status).toBe(403);
    expect((await send("POST", "/api/inventory/NOPE-SKU/adjust", { delta: "x" })(support)).status).toBe(403);
    // A customer's own write (a review) is the customer's, with its own events: no staff action.
    const customer = await shopper();
    await postReview(customer, await activeProduct());
    // An action that is recorded, as a marker the consumer has caught up to.
    const admin = await registerAndLogin("admin");
    expect((await send("POST", "/api/scheduler/jobs/catalog-cache-prune/run")(admin)).status).toBe(200);
    await eventually(
      async () => (await body<{ items: Entry[] }>(await api(`/api/audit/entries?actorId=${admin.userId}&type=StaffActionTaken`))).items[0],
      30_000,
      "the marker's audit entry",
    );
    for (const who of [support.userId, customer.userId]) {
      const page = await body<{ items: Entry[] }>(await api(`/api/audit/entries?actorId=${who}&type=StaffActionTaken`));
      expect([who, page.items]).toEqual([who, []]);
    }
  });
});

/** The console's catalogue writes (console/scripts/console-writes.test.ts keeps them, with the operations test's, in step with its pages). */
const CATALOG_WRITES = [
  "POST /api/products",
  "PATCH /api/products/{id}",
  "POST /api/products/{id}/images",
  "DELETE /api/products/{id}/images/{imageId}",
  "POST /api/products/categories",
  "PATCH /api/products/categories/{id}",
  "DELETE /api/products/categories/{id}",
  "POST /api/products/brands",
  "PATCH /api/products/brands/{id}",
  "DELETE /api/products/brands/{id}",
  "POST /api/products/discounts",
  "PATCH /api/products/discounts/{id}",
  "DELETE /api/products/discounts/{id}",
  "POST /api/promotions",
  "PATCH /api/promotions/{id}",
  "DELETE /api/promotions/{id}",
  "POST /api/inventory/{sku}/adjust",
];
