/** Brands, and the tags in use. Renaming a brand is a new version of each of its products (their snapshot names it). */
import { sql } from "drizzle-orm";
import { brands } from "../../db/schema/catalog.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Database, Queryable } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { CatalogErrors } from "./errors.ts";
import { versionConflict } from "./etag.ts";
import { slugify } from "./slugs.ts";
import { bumpProductVersions, emitProductsUpdated, uniqueViolation, type WriteScope } from "./write-support.ts";

export interface BrandView {
  id: string;
  slug: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const toBrandView = (r: typeof brands.$inferSelect): BrandView => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const slugConflict = (err: unknown): never => {
  if (uniqueViolation(err) === "brands_slug_uq") throw new ApiError(CatalogErrors.BRAND_SLUG_TAKEN, "Another brand already has this slug");
  throw err;
};

/** Brands in slug order; the cursor's key is the last brand's slug. */
const BRANDS_SORT = "brands:slug";

export async function listBrands(db: Queryable, options: { limit: number; cursor?: string }) {
  const [afterSlug] = options.cursor ? decodeCursor(options.cursor, BRANDS_SORT, ["string"]) : [];
  const rows = await db
    .select()
    .from(brands)
    .where(afterSlug !== undefined ? sql`${brands.slug} > ${afterSlug}` : undefined)
    .orderBy(brands.slug)
    .limit(options.limit + 1);
  const { page, nextCursor } = keysetPage(rows, options.limit, BRANDS_SORT, (r) => [r.slug]);
  return { items: page.map(toBrandView), nextCursor };
}

export async function getBrand(db: Queryable, id: string): Promise<BrandView> {
  const [row] = await db.select().from(brands).where(sql`${brands.id} = ${id}`);
  if (!row) throw notFound("brand");
  return toBrandView(row);
}

export async function createBrand(db: Database, input: { slug?: string; name: string }): Promise<BrandView> {
  const slug = input.slug ?? slugify(input.name);
  if (!slug)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", {
      errors: [{ field: "slug", message: "give a slug: the name has no letters or digits to make one from" }],
    });
  try {
    const [row] = await db
      .insert(brands)
      .values({ id: newId("brd"), slug, name: input.name })
      .returning();
    return toBrandView(row!);
  } catch (err) {
    return slugConflict(err);
  }
}

export async function updateBrand(
  db: Database,
  id: string,
  versions: number[],
  patch: { slug?: string; name?: string },
  scope: WriteScope,
): Promise<{ view: BrandView; productIds: string[] }> {
  try {
    return await transactionWithEvents(
      db,
      async (tx, events) => {
        const [current] = await tx.select().from(brands).where(sql`${brands.id} = ${id}`).for("update");
        if (!current) throw notFound("brand");
        if (!versions.includes(current.version)) throw versionConflict("brand", current.version);
        const [row] = await tx
          .update(brands)
          .set({
            slug: patch.slug ?? current.slug,
            name: patch.name ?? current.name,
            version: sql`${brands.version} + 1`,
            updatedAt: new Date(),
          })
          .where(sql`${brands.id} = ${id}`)
          .returning();
        const changed = row!.slug !== current.slug || row!.name !== current.name;
        const productIds = changed
          ? (await tx.execute<{ id: string }>(sql`select id from catalog.products where brand_id = ${id}`)).rows.map((r) => r.id)
          : [];
        await bumpProductVersions(tx, productIds);
        await emitProductsUpdated(tx, events, productIds, ["brand"], scope);
        return { view: toBrandView(row!), productIds };
      },
      scope.afterCommit,
    );
  } catch (err) {
    return slugConflict(err);
  }
}

export async function deleteBrand(db: Database, id: string, versions: number[]): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(brands).where(sql`${brands.id} = ${id}`).for("update");
    if (!current) throw notFound("brand");
    if (!versions.includes(current.version)) throw versionConflict("brand", current.version);
    const used = await tx.execute(sql`select 1 from catalog.products where brand_id = ${id} limit 1`);
    if (used.rows.length > 0) throw new ApiError(CatalogErrors.BRAND_IN_USE, "Products still carry this brand");
    await tx.execute(sql`delete from catalog.brands where id = ${id}`);
  });
}

/** Tags in tag order; the cursor's key is the last tag. */
const TAGS_SORT = "tags:tag";

/** Tags on active products with how many carry each, in tag order. */
export async function listTags(db: Queryable, options: { limit: number; cursor?: string }) {
  const [afterTag] = options.cursor ? decodeCursor(options.cursor, TAGS_SORT, ["string"]) : [];
  const rows = await db.execute<{ tag: string; count: number }>(sql`
    select tag, count(*)::int as count from catalog.products, unnest(tags) as tag
    where status = 'active' ${afterTag !== undefined ? sql`and tag > ${afterTag}` : sql``}
    group by tag order by tag limit ${options.limit + 1}`);
  const { page, nextCursor } = keysetPage(rows.rows, options.limit, TAGS_SORT, (r) => [r.tag]);
  return { items: page, nextCursor };
}
