/** The product form's state and its conversion to the API's body: prices typed in major units, sent in minor units. */

export interface VariantRow {
  sku: string;
  price: string;
  /** The "was" price shown struck through; empty for none. */
  compareAt: string;
  currency: string;
  options: string;
}

export interface ProductForm {
  name: string;
  description: string;
  status: "draft" | "active" | "archived";
  categoryId: string;
  brandId: string;
  variants: VariantRow[];
}

/** "12.5" → 1250; null for anything that is not a non-negative amount with at most two decimals. */
export function toMinor(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

/**
 * The variant's own compare-at price from its priced view. The API shows the
 * higher of the stored compare-at and, under a discount, the base price; a
 * stored compare-at is always above the base, so it is the shown one exactly
 * when that is above the base.
 */
export function storedCompareAt(price: { baseMinor: number; compareAtMinor: number | null }): number | null {
  return price.compareAtMinor !== null && price.compareAtMinor > price.baseMinor ? price.compareAtMinor : null;
}

/** 1250 → "12.50"; empty for none. */
export const toMajor = (minor: number | null): string => (minor === null ? "" : (minor / 100).toFixed(2));

/** "size=M, colour=red" → { size: "M", colour: "red" } (empty parts are ignored). */
export function parseOptions(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(",")
      .map((part) => part.split("=").map((s) => s.trim()))
      .filter((kv): kv is [string, string] => kv.length === 2 && !!kv[0] && !!kv[1]),
  );
}

export function formatOptions(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** The request body of the form, or the first problem a person must fix. */
export function productBody(form: ProductForm): { ok: true; body: Record<string, unknown> } | { ok: false; message: string } {
  if (!form.name.trim()) return { ok: false, message: "The product needs a name." };
  const variants = [];
  for (const [i, v] of form.variants.entries()) {
    const priceMinor = toMinor(v.price);
    if (!v.sku.trim()) return { ok: false, message: `Variant ${i + 1} needs a SKU.` };
    if (priceMinor === null) return { ok: false, message: `Variant ${i + 1}: the price must be an amount such as 19.99.` };
    const compareAtMinor = v.compareAt.trim() ? toMinor(v.compareAt) : null;
    if (v.compareAt.trim() && compareAtMinor === null)
      return { ok: false, message: `Variant ${i + 1}: the compare-at price must be an amount such as 24.99, or empty.` };
    if (compareAtMinor !== null && compareAtMinor <= priceMinor)
      return { ok: false, message: `Variant ${i + 1}: the compare-at price must be above the price.` };
    variants.push({ sku: v.sku.trim(), priceMinor, compareAtMinor, currency: v.currency, options: parseOptions(v.options) });
  }
  return {
    ok: true,
    body: {
      name: form.name.trim(),
      description: form.description,
      status: form.status,
      categoryId: form.categoryId || null,
      brandId: form.brandId || null,
      variants,
    },
  };
}
