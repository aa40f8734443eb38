/**
 * Admin writes of products and their variants. Each write runs in one
 * transaction that also refreshes the product's price windows and writes its
 * events (ProductCreated / ProductUpdated / ProductDeleted, PriceChanged per
 * variant whose base price moved) to the outbox. Updates and deletes carry
 * the version the admin read (If-Match); a stale one is a 409.
 */
import { sql } from "drizzle-orm";
import { products, variants } from "../../db/schema/catalog.ts";
import { PriceChanged, ProductCreated, ProductDeleted } from "../../queues/contracts/events/product.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { Database, Tx } from "../platform/db.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { eventFrom } from "../platform/scope.ts";
import { CatalogErrors } from "./errors.ts";
import { refreshPriceWindows } from "./price-index.ts";
import type { ProductStatus } from "./product-read.ts";
import { RESERVED_PRODUCT_SLUGS, slugify } from "./slugs.ts";
import { loadProductSnapshot } from "./snapshots.ts";
import { emitProductsUpdated, lockProduct, uniqueViolation, type WriteScope } from "./write-support.ts";

export interface VariantInput {
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  compareAtMinor: number | null;
  currency: string;
  weightGrams: number | null;
  dimensions: { lengthMm: number; widthMm: number; heightMm: number } | null;
}

export interface ProductInput {
  slug?: string;
  name: string;
  description: string;
  brandId: string | null;
  categoryId: string | null;
  status: ProductStatus;
  tags: string[];
  variants: VariantInput[];
}

export type ProductPatch = Partial<ProductInput>;

const invalid = (field: string, message: string) =>
  new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", { errors: [{ field, message }] });

/** Rules across fields that a schema cannot express. */
function checkVariants(list: VariantInput[], status: ProductStatus): void {
  const skus = new Set<string>();
  list.forEach((v, i) => {
    if (skus.has(v.sku)) throw invalid(`variants.${i}.sku`, `SKU ${v.sku} appears twice`);
    skus.add(v.sku);
    if (v.compareAtMinor !== null && v.compareAtMinor <= v.priceMinor)
      throw invalid(`variants.${i}.compareAtMinor`, "must be above priceMinor");
    if (v.currency !== list[0]!.currency) throw invalid(`variants.${i}.currency`, "all variants of a product share one currency");
  });
  if (status === "active" && list.length === 0) throw invalid("status", "an active product needs at least one variant");
}

async function checkReferences(tx: Tx, input: { brandId?: string | null; categoryId?: string | null }): Promise<void> {
  if (input.brandId) {
    const found = await tx.execute(sql`select 1 from catalog.brands where id = ${input.brandId}`);
    if (found.rows.length === 0) throw invalid("brandId", "no such brand");
  }
  if (input.categoryId) {
    const found = await tx.execute(sql`select 1 from catalog.categories where id = ${input.categoryId}`);
    if (found.rows.length === 0) throw invalid("categoryId", "no such category");
  }
}

function slugFor(input: { slug?: string; name: string }): string {
  const slug = input.slug ?? slugify(input.name);
  if (!slug) throw invalid("slug", "give a slug: the name has no letters or digits to make one from");
  if (RESERVED_PRODUCT_SLUGS.has(slug)) throw invalid("slug", `${slug} is reserved`);
  return slug;
}

function explainConflict(err: unknown): never {
  const constraint = uniqueViolation(err);
  if (constraint === "products_slug_uq") throw new ApiError(CatalogErrors.SLUG_TAKEN, "Another product already has this slug");
  if (constraint === "variants_sku_uq") throw new ApiError(CatalogErrors.SKU_TAKEN, "One of the SKUs belongs to another product");
  throw err;
}

const variantRow = (productId: string, v: VariantInput, position: number, id = newId("var")) => ({
  id,
  productId,
  sku: v.sku,
  options: v.options,
  priceMinor: v.priceMinor,
  compareAtMinor: v.compareAtMinor,
  currency: v.currency,
  weightGrams: v.weightGrams,
  lengthMm: v.dimensions?.lengthMm ?? null,
  widthMm: v.dimensions?.widthMm ?? null,
  heightMm: v.dimensions?.heightMm ?? null,
  position,
});

export async function createProduct(db: Database, input: ProductInput, scope: WriteScope): Promise<string> {
  const slug = slugFor(input);
  checkVariants(input.variants, input.status);
  const id = newId("prd");
  try {
    await transactionWithEvents(
      db,
      async (tx, events) => {
        await checkReferences(tx, input);
        await tx.insert(products).values({
          id,
          slug,
          name: input.name,
          description: input.description,
          brandId: input.brandId,
          categoryId: input.categoryId,
          status: input.status,
          tags: input.tags,
        });
        if (input.variants.length) await tx.insert(variants).values(input.variants.map((v, i) => variantRow(id, v, i)));
        await refreshPriceWindows(tx, { productIds: [id] }, scope.now);
        const product = (await loadProductSnapshot(tx, id))!;
        await events.emit(ProductCreated, eventFrom(scope, "products", id, { product }));
      },
      scope.afterCommit,
    );
  } catch (err) {
    explainConflict(err);
  }
  return id;
}

/** Postgres returns jsonb keys in its own order; compare option maps without it. */
const sortedKeys = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

const FIELDS = ["slug", "name", "description", "brandId", "categoryId", "status", "tags"] as const;

export async function updateProduct(db: Database, id: string, versions: number[], patch: ProductPatch, scope: WriteScope): Promise<void> {
  try {
    await transactionWithEvents(
      db,
      async (tx, events) => {
        await lockProduct(tx, id, versions);
        const [current] = await tx.select().from(products).where(sql`${products.id} = ${id}`);
        const existing = await tx.select().from(variants).where(sql`${variants.productId} = ${id}`);
        await checkReferences(tx, patch);
        const next = { ...current!, ...Object.fromEntries(FIELDS.filter((f) => patch[f] !== undefined).map((f) => [f, patch[f]])) };
        // The slug stays when the name changes: links to the product keep working.
        if (patch.slug !== undefined) next.slug = slugFor({ slug: patch.slug, name: next.name });
        const changed: string[] = FIELDS.filter((f) => patch[f] !== undefined && JSON.stringify(patch[f]) !== JSON.stringify(current![f]));

        const list = patch.variants;
        if (list) checkVariants(list, next.status as ProductStatus);
        else if (next.status === "active" && existing.length === 0) throw invalid("status", "an active product needs at least one variant");
        const priceChanges: { sku: string; currency: string; oldPriceMinor: number; newPriceMinor: number }[] = [];
        if (list) {
          const bySku = new Map(existing.map((v) => [v.sku, v]));
          const keep = new Set(list.map((v) => v.sku));
          const gone = existing.filter((v) => !keep.has(v.sku)).map((v) => v.id);
          if (gone.length) await tx.execute(sql`delete from catalog.variants where id = any(${sql.param(gone)}::text[])`);
          for (const [i, v] of list.entries()) {
            const old = bySku.get(v.sku);
            if (!old) {
              await tx.insert(variants).values(variantRow(id, v, i));
              continue;
            }
            const row = variantRow(id, v, i, old.id);
            await tx.update(variants).set(row).where(sql`${variants.id} = ${old.id}`);
            if (old.priceMinor !== v.priceMinor)
              priceChanges.push({ sku: v.sku, currency: v.currency, oldPriceMinor: old.priceMinor, newPriceMinor: v.priceMinor });
          }
          const before = JSON.stringify(
            existing
              .map((v) => [
                v.sku,
                sortedKeys(v.options),
                v.priceMinor,
                v.compareAtMinor,
                v.currency.trim(),
                v.weightGrams,
                v.lengthMm,
                v.widthMm,
                v.heightMm,
                v.position,
              ])
              .sort(),
          );
          const after = JSON.stringify(
            list
              .map((v, i) => [
                v.sku,
                sortedKeys(v.options),
                v.priceMinor,
                v.compareAtMinor,
                v.currency,
                v.weightGrams,
                v.dimensions?.lengthMm ?? null,
                v.dimensions?.widthMm ?? null,
                v.dimensions?.heightMm ?? null,
                i,
              ])
              .sort(),
          );
          if (before !== after) changed.push("variants");
        }
        // A change to nothing is not a new version, and nobody needs to hear about it.
        if (changed.length === 0) return;

        const [updated] = await tx
          .update(products)
          .set({
            slug: next.slug,
            name: next.name,
            description: next.description,
            brandId: next.brandId,
            categoryId: next.categoryId,
            status: next.status,
            tags: next.tags,
            version: sql`${products.version} + 1`,
            updatedAt: new Date(),
          })
          .where(sql`${products.id} = ${id}`)
          .returning({ version: products.version });
        if (list || changed.includes("categoryId")) await refreshPriceWindows(tx, { productIds: [id] }, scope.now);

        await emitProductsUpdated(tx, events, [id], changed, scope);
        for (const p of priceChanges) {
          await events.emit(PriceChanged, eventFrom(scope, "products", id, { productId: id, ...p, version: updated!.version }));
        }
      },
      scope.afterCommit,
    );
  } catch (err) {
    explainConflict(err);
  }
}

export async function deleteProduct(db: Database, id: string, versions: number[], scope: WriteScope): Promise<void> {
  await transactionWithEvents(
    db,
    async (tx, events) => {
      const locked = await lockProduct(tx, id, versions);
      await tx.execute(sql`delete from catalog.products where id = ${id}`);
      // One past the last version, so a projection holding the last snapshot knows the deletion is newer.
      await events.emit(
        ProductDeleted,
        eventFrom(scope, "products", id, { productId: id, slug: locked.slug, version: locked.version + 1 }),
      );
    },
    scope.afterCommit,
  );
}
