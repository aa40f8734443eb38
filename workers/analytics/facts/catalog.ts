/**
 * The product dimension (from the catalogue's snapshots, newest version
 * wins), product views, and stock: each SKU's latest level and its
 * low-stock and stock-out crossings.
 */
import { sql } from "drizzle-orm";
import type { InventoryUpdated, LowStockAlert, OutOfStock } from "../../../queues/contracts/events/inventory.ts";
import type { ProductCreated, ProductDeleted, ProductSnapshot, ProductViewed } from "../../../queues/contracts/events/product.ts";
import type { ScrubbedEvent } from "../../pipeline/index.ts";
import { type Cte, dailyIncrements, type FactEvent, utcDay, wrote } from "./cte.ts";

/** ProductCreated and ProductUpdated (whose payload adds what changed): the snapshot's product. */
export const productSnapshot = (e: FactEvent<typeof ProductCreated>) => productDimension(e.payload.product);

/** A product snapshot's product, category and brand, and its SKUs (from an event, or from the catalogue by the sync job). */
export function productDimension(p: ProductSnapshot): Cte[] {
  return [
    {
      name: "pd_product",
      query: sql`
        insert into analytics.product_dim as f (product_id, slug, name, status, category_id, category_name, category_path, brand_id, brand_name, version, deleted)
        values (${p.productId}, ${p.slug}, ${p.name}, ${p.status}, ${p.category?.id ?? null}, ${p.category?.name ?? null}, ${p.category?.path ?? null},
          ${p.brand?.id ?? null}, ${p.brand?.name ?? null}, ${p.version}, false)
        on conflict (product_id) do update set slug = excluded.slug, name = excluded.name, status = excluded.status, category_id = excluded.category_id,
          category_name = excluded.category_name, category_path = excluded.category_path, brand_id = excluded.brand_id, brand_name = excluded.brand_name,
          version = excluded.version, deleted = false, updated_at = now()
        where f.version < excluded.version
        returning 1`,
    },
    {
      name: "pd_skus",
      query: sql`
        insert into analytics.sku_dim as s (sku, product_id, version)
        select sku, ${p.productId}, ${p.version} from unnest(${sql.param(p.variants.map((v) => v.sku))}::text[]) as sku
        on conflict (sku) do update set product_id = excluded.product_id, version = excluded.version
        where s.product_id = excluded.product_id and s.version < excluded.version or s.product_id <> excluded.product_id
        returning 1`,
    },
  ];
}

export function productDeleted(e: FactEvent<typeof ProductDeleted>): Cte[] {
  const p = e.payload;
  return [
    {
      name: "pd_deleted",
      query: sql`
        insert into analytics.product_dim as f (product_id, slug, name, status, version, deleted) values (${p.productId}, ${p.slug}, '', 'archived', ${p.version}, true)
        on conflict (product_id) do update set deleted = true, version = excluded.version, updated_at = now() where f.version <= excluded.version
        returning 1`,
    },
  ];
}

/** A view names the product by id or slug; a slug is resolved through the dimension (the catalogue's slugs at the time). */
export function productViewed(e: FactEvent<typeof ProductViewed>): Cte[] {
  const p = e.payload;
  const weight = 1 / p.sampleRate;
  return [
    {
      name: "pv_fact",
      query: sql`
        insert into analytics.product_view_facts (event_id, product_ref, product_id, customer_key, weight, viewed_at)
        values (${e.id}, ${p.productRef},
          case when ${p.productRef} ~ '^prd_[0-9A-Z]{26}$' then ${p.productRef}
               else (select product_id from analytics.product_dim where slug = ${p.productRef} order by version desc limit 1) end,
          ${p.userId}, ${weight}, ${e.occurredAt}::timestamptz)
        on conflict do nothing
        returning 1`,
    },
    dailyIncrements("pv_daily", [
      { day: utcDay(e.occurredAt), currency: "", metric: "product_views", value: Math.round(weight), when: wrote("pv_fact") },
    ]),
  ];
}

export function inventoryUpdated(e: FactEvent<typeof InventoryUpdated>): Cte[] {
  const p = e.payload;
  return [
    {
      name: "iu_stock",
      query: sql`
        insert into analytics.sku_stock as s (sku, status, available, on_hand, reserved, low_stock_threshold, stock_version, updated_at)
        values (${p.sku}, ${p.status}, ${p.available}, ${p.onHand}, ${p.reserved}, ${p.lowStockThreshold}, ${p.version}, ${e.occurredAt}::timestamptz)
        on conflict (sku) do update set status = excluded.status, available = excluded.available, on_hand = excluded.on_hand, reserved = excluded.reserved,
          low_stock_threshold = excluded.low_stock_threshold, stock_version = excluded.stock_version, updated_at = excluded.updated_at
        where s.stock_version < excluded.stock_version
        returning 1`,
    },
  ];
}

function crossing(
  name: string,
  e: ScrubbedEvent,
  kind: "low_stock" | "out_of_stock",
  p: { sku: string; available: number; onHand: number; version: number },
  metric: string,
): Cte[] {
  return [
    {
      name,
      query: sql`
        insert into analytics.inventory_facts (event_id, kind, sku, available, on_hand, stock_version, occurred_at)
        values (${e.id}, ${kind}, ${p.sku}, ${p.available}, ${p.onHand}, ${p.version}, ${e.occurredAt}::timestamptz)
        on conflict do nothing
        returning 1`,
    },
    dailyIncrements(`${name}_daily`, [{ day: utcDay(e.occurredAt), currency: "", metric, value: 1, when: wrote(name) }]),
  ];
}

export const lowStockAlert = (e: FactEvent<typeof LowStockAlert>) => crossing("ls_fact", e, "low_stock", e.payload, "low_stock_alerts");
export const outOfStock = (e: FactEvent<typeof OutOfStock>) =>
  crossing("os_fact", e, "out_of_stock", { ...e.payload, available: 0 }, "stock_outs");
