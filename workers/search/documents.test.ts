import { describe, expect, it } from "vitest";
import type { ProductSnapshot } from "../../queues/contracts/events/product.ts";
import { toDocumentRow } from "./documents.ts";

const base: ProductSnapshot = {
  productId: "prd_1",
  slug: "trail-shoe",
  name: "Trail Shoe",
  description: "Grippy.",
  status: "active",
  brand: { id: "brd_1", slug: "acme", name: "Acme" },
  category: { id: "cat_1", slug: "shoes", name: "Shoes", path: "apparel/shoes" },
  tags: ["outdoor"],
  imageUrl: "https://img.example/shoe.jpg",
  variants: [
    { variantId: "v1", sku: "S-42", options: { size: "42" }, priceMinor: 8900, compareAtMinor: 9900, currency: "EUR" },
    { variantId: "v2", sku: "S-44", options: { size: "44" }, priceMinor: 9400, compareAtMinor: null, currency: "EUR" },
    { variantId: "v3", sku: "S-US", options: { size: "10" }, priceMinor: 100, compareAtMinor: null, currency: "USD" },
  ],
  version: 7,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-02-01T00:00:00.000Z",
};

describe("toDocumentRow", () => {
  it("keeps the searchable fields and prices the product in its first variant's currency", () => {
    expect(toDocumentRow(base)).toEqual({
      productId: "prd_1",
      status: "active",
      version: 7,
      slug: "trail-shoe",
      name: "Trail Shoe",
      description: "Grippy.",
      brandId: "brd_1",
      brandSlug: "acme",
      brandName: "Acme",
      categoryId: "cat_1",
      categorySlug: "shoes",
      categoryName: "Shoes",
      categoryPath: "apparel/shoes",
      tags: ["outdoor"],
      imageUrl: "https://img.example/shoe.jpg",
      priceMinMinor: 8900,
      priceMaxMinor: 9400,
      compareAtMinor: 9900,
      currency: "EUR",
      skus: ["S-42", "S-44", "S-US"],
      productCreatedAt: "2026-01-01T00:00:00.000Z",
      productUpdatedAt: "2026-02-01T00:00:00.000Z",
    });
  });

  it("drops a compare-at price that is no higher than the price, and handles no brand, category or variants", () => {
    const row = toDocumentRow({ ...base, brand: null, category: null, variants: [{ ...base.variants[0]!, compareAtMinor: 8900 }] });
    expect(row).toMatchObject({ brandSlug: null, categoryPath: null, compareAtMinor: null, priceMinMinor: 8900 });
    expect(toDocumentRow({ ...base, variants: [] })).toMatchObject({ priceMinMinor: null, priceMaxMinor: null, currency: null, skus: [] });
  });
});
