/**
 * Discounts (admin): percentage or fixed, on one product, a category subtree
 * or everything, with a start and an optional end. A change recomputes the
 * price windows of every product the discount covered or now covers, in the
 * same transaction, so listings never sort on a price the detail page would
 * not show.
 */
import { sql } from "drizzle-orm";
import { discounts } from "../../db/schema/catalog.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Database, Queryable, Tx } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import type { PurgeScope } from "./edge-cache.ts";
import { versionConflict } from "./etag.ts";
import { type PriceScope, refreshPriceWindows } from "./price-index.ts";
import type { DiscountKind, DiscountScope } from "./pricing.ts";

export interface DiscountInput {
  name: string;
  kind: DiscountKind;
  percentBp: number | null;
  amountMinor: number | null;
  currency: string | null;
  scope: DiscountScope;
  productId: string | null;
  categoryId: string | null;
  startsAt: Date;
  endsAt: Date | null;
}

type DiscountRow = typeof discounts.$inferSelect;

export interface DiscountView extends Omit<DiscountInput, "startsAt" | "endsAt"> {
  id: string;
  startsAt: string;
  endsAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const toView = (r: DiscountRow): DiscountView => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  percentBp: r.percentBp,
  amountMinor: r.amountMinor,
  currency: r.currency?.trim() ?? null,
  scope: r.scope,
  productId: r.productId,
  categoryId: r.categoryId,
  startsAt: r.startsAt.toISOString(),
  endsAt: r.endsAt?.toISOString() ?? null,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const invalid = (field: string, message: string) =>
  new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", { errors: [{ field, message }] });

/** Cross-field rules; the table's CHECK constraints back them up. */
async function check(tx: Tx, d: DiscountInput): Promise<void> {
  if (d.kind === "percentage" && (d.percentBp === null || d.amountMinor !== null))
    throw invalid("percentBp", "a percentage discount has percentBp and no amountMinor");
  if (d.kind === "fixed" && (d.amountMinor === null || d.currency === null || d.percentBp !== null))
    throw invalid("amountMinor", "a fixed discount has amountMinor and currency, and no percentBp");
  if (d.endsAt && d.endsAt.getTime() <= d.startsAt.getTime()) throw invalid("endsAt", "must be after startsAt");
  if (d.scope === "product") {
    if (!d.productId || d.categoryId) throw invalid("productId", "a product discount names productId only");
    if ((await tx.execute(sql`select 1 from catalog.products where id = ${d.productId}`)).rows.length === 0)
      throw invalid("productId", "no such product");
  } else if (d.scope === "category") {
    if (!d.categoryId || d.productId) throw invalid("categoryId", "a category discount names categoryId only");
    if ((await tx.execute(sql`select 1 from catalog.categories where id = ${d.categoryId}`)).rows.length === 0)
      throw invalid("categoryId", "no such category");
  } else if (d.productId || d.categoryId) {
    throw invalid("scope", "a discount on everything names neither productId nor categoryId");
  }
}

/** The products whose prices a discount can touch. */
const reach = (d: Pick<DiscountRow, "scope" | "productId" | "categoryId">): PriceScope =>
  d.scope === "all" ? { all: true } : d.scope === "product" ? { productIds: [d.productId!] } : { categoryIds: [d.categoryId!] };

/** Refreshes the windows of everything the discount reached before or reaches now; returns what to purge. */
async function reprice(tx: Tx, scopes: PriceScope[], at: Date): Promise<PurgeScope> {
  if (scopes.some((s) => "all" in s)) {
    await refreshPriceWindows(tx, { all: true }, at);
    return { all: true };
  }
  const productIds = scopes.flatMap((s) => ("productIds" in s ? s.productIds : []));
  const categoryIds = scopes.flatMap((s) => ("categoryIds" in s ? s.categoryIds : []));
  await refreshPriceWindows(tx, { productIds }, at);
  await refreshPriceWindows(tx, { categoryIds }, at);
  const inCategories = categoryIds.length
    ? (
        await tx.execute<{ id: string }>(sql`select p.id from catalog.products p join catalog.categories c on c.id = p.category_id
        join catalog.categories root on c.path = root.path or c.path like root.path || '/%' where root.id = any(${sql.param(categoryIds)}::text[])`)
      ).rows.map((r) => r.id)
    : [];
  return { productIds: [...productIds, ...inCategories] };
}

/** Newest first; the cursor's key is the last discount's id. */
const DISCOUNTS_SORT = "discounts:newest";

export async function listDiscounts(
  db: Queryable,
  options: { limit: number; cursor?: string; state?: "active" | "scheduled" | "ended"; at: Date },
) {
  const [before] = options.cursor ? decodeCursor(options.cursor, DISCOUNTS_SORT, ["string"]) : [];
  const at = options.at.toISOString();
  const state =
    options.state === "active"
      ? sql`and starts_at <= ${at}::timestamptz and (ends_at is null or ends_at > ${at}::timestamptz)`
      : options.state === "scheduled"
        ? sql`and starts_at > ${at}::timestamptz`
        : options.state === "ended"
          ? sql`and ends_at <= ${at}::timestamptz`
          : sql``;
  const rows = await db
    .select()
    .from(discounts)
    .where(sql`true ${before !== undefined ? sql`and ${discounts.id} < ${before}` : sql``} ${state}`)
    .orderBy(sql`${discounts.id} desc`)
    .limit(options.limit + 1);
  const { page, nextCursor } = keysetPage(rows, options.limit, DISCOUNTS_SORT, (r) => [r.id]);
  return { items: page.map(toView), nextCursor };
}

export async function getDiscount(db: Queryable, id: string): Promise<DiscountView> {
  const [row] = await db.select().from(discounts).where(sql`${discounts.id} = ${id}`);
  if (!row) throw notFound("discount");
  return toView(row);
}

export async function createDiscount(db: Database, input: DiscountInput, at: Date): Promise<{ view: DiscountView; purge: PurgeScope }> {
  return db.transaction(async (tx) => {
    await check(tx, input);
    const [row] = await tx
      .insert(discounts)
      .values({ id: newId("dsc"), ...input })
      .returning();
    const purge = await reprice(tx, [reach(row!)], at);
    return { view: toView(row!), purge };
  });
}

export async function updateDiscount(
  db: Database,
  id: string,
  versions: number[],
  patch: Partial<DiscountInput>,
  at: Date,
): Promise<{ view: DiscountView; purge: PurgeScope }> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(discounts).where(sql`${discounts.id} = ${id}`).for("update");
    if (!current) throw notFound("discount");
    if (!versions.includes(current.version)) throw versionConflict("discount", current.version);
    const next: DiscountInput = { ...toInput(current), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    await check(tx, next);
    const [row] = await tx
      .update(discounts)
      .set({ ...next, version: sql`${discounts.version} + 1`, updatedAt: new Date() })
      .where(sql`${discounts.id} = ${id}`)
      .returning();
    const purge = await reprice(tx, [reach(current), reach(row!)], at);
    return { view: toView(row!), purge };
  });
}

export async function deleteDiscount(db: Database, id: string, versions: number[], at: Date): Promise<PurgeScope> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(discounts).where(sql`${discounts.id} = ${id}`).for("update");
    if (!current) throw notFound("discount");
    if (!versions.includes(current.version)) throw versionConflict("discount", current.version);
    await tx.execute(sql`delete from catalog.discounts where id = ${id}`);
    return reprice(tx, [reach(current)], at);
  });
}

const toInput = (r: DiscountRow): DiscountInput => ({
  name: r.name,
  kind: r.kind,
  percentBp: r.percentBp,
  amountMinor: r.amountMinor,
  currency: r.currency?.trim() ?? null,
  scope: r.scope,
  productId: r.productId,
  categoryId: r.categoryId,
  startsAt: r.startsAt,
  endsAt: r.endsAt,
});
