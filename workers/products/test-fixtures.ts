/** Builders for the catalog's tests: every name, slug and SKU is unique, since test files share one database. */
import { sql } from "drizzle-orm";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { slugify } from "./slugs.ts";

export const uid = () => crypto.randomUUID().replaceAll("-", "").slice(0, 10);
export const sku = (label = "T") => `${label}-${uid().toUpperCase()}`;

/** A 1x1 PNG. */
export const PNG_1PX = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

export interface ProductBody {
  id: string;
  slug: string;
  name: string;
  status: string;
  version: number;
  tags: string[];
  imageUrl: string | null;
  images: { id: string; url: string; alt: string; position: number; source: string }[];
  price: { currency: string; fromMinor: number; toMinor: number; compareAtMinor: number | null; discounted: boolean } | null;
  variants: {
    id: string;
    sku: string;
    inStock: boolean;
    options: Record<string, string>;
    price: {
      unitPriceMinor: number;
      baseMinor: number;
      discountMinor: number;
      compareAtMinor: number | null;
      discount: { id: string } | null;
    };
  }[];
  category: { id: string; path: string; name: string } | null;
  brand: { id: string; slug: string; name: string } | null;
  rating: { average: number; count: number };
}
export interface ListBody {
  items: (Omit<ProductBody, "variants" | "images" | "version"> & { inStock: boolean })[];
  nextCursor: string | null;
}
export interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

export async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function newCategory(
  name = `Cat ${uid()}`,
  parentId: string | null = null,
): Promise<{ id: string; path: string; version: number; slug: string }> {
  return json(await api("/api/products/categories", { method: "POST", json: { name, parentId } }), 201);
}

export async function newBrand(name = `Brand ${uid()}`): Promise<{ id: string; slug: string; version: number }> {
  return json(await api("/api/products/brands", { method: "POST", json: { name } }), 201);
}

export type VariantSpec = {
  sku?: string;
  priceMinor: number;
  compareAtMinor?: number | null;
  currency?: string;
  options?: Record<string, string>;
};

export async function newProduct(
  spec: {
    name?: string;
    categoryId?: string | null;
    brandId?: string | null;
    status?: string;
    tags?: string[];
    variants?: VariantSpec[];
  } = {},
): Promise<ProductBody> {
  const name = spec.name ?? `Product ${uid()}`;
  const variants = (spec.variants ?? [{ priceMinor: 1000 }]).map((v) => ({
    sku: v.sku ?? sku(),
    priceMinor: v.priceMinor,
    compareAtMinor: v.compareAtMinor ?? null,
    currency: v.currency ?? "USD",
    options: v.options ?? {},
  }));
  const res = await api("/api/products", {
    method: "POST",
    // Names repeat across tests (the database is shared), slugs must not.
    json: {
      name,
      slug: `${slugify(name)}-${uid()}`,
      categoryId: spec.categoryId ?? null,
      brandId: spec.brandId ?? null,
      status: spec.status ?? "active",
      tags: spec.tags ?? [],
      variants,
    },
  });
  return json(res, 201);
}

export function patchProduct(id: string, version: number | string, body: unknown): Promise<Response> {
  return api(`/api/products/${id}`, {
    method: "PATCH",
    json: body,
    headers: { "if-match": typeof version === "number" ? `"v${version}"` : version },
  });
}

export interface OutboxEvent {
  type: string;
  subjectId: string;
  correlationId: string;
  actor: { type: string; id: string } | null;
  payload: Record<string, unknown>;
}

/** The events written about a subject, oldest first. */
export function eventsAbout(subjectId: string): Promise<OutboxEvent[]> {
  return withTestDb(async (db) => {
    const r = await db.execute<{ envelope: OutboxEvent }>(
      sql`select envelope from events.outbox where envelope->>'subjectId' = ${subjectId} order by seq`,
    );
    return r.rows.map((x) => x.envelope);
  });
}

/** Sets a SKU's row in the inventory projection (what the inventory family's consumer maintains). */
export function setStock(skuCode: string, available: number): Promise<void> {
  return withTestDb(async (db) => {
    await db.execute(sql`insert into inventory.stock_levels (sku, on_hand, reserved, available) values (${skuCode}, ${available}, 0, ${available})
      on conflict (sku) do update set on_hand = excluded.on_hand, available = excluded.available`);
  });
}
