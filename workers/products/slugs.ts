/** Slugs: lowercase words joined by hyphens, unique per kind (categories: per parent). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Sub-collection names under /api/products, which a product slug may not take. */
export const RESERVED_PRODUCT_SLUGS = new Set(["categories", "brands", "tags", "discounts"]);

export function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 120)
    .replace(/-+$/, "");
}
