/**
 * The category tree. A category's path is its ancestors' slugs and its own
 * (`clothing/shirts`); moving or renaming one rewrites the paths of its whole
 * subtree. Products in the subtree get a new version and a ProductUpdated
 * event (their snapshot names the category), and their price windows are
 * recomputed, since category discounts follow paths.
 */
import { sql } from "drizzle-orm";
import { categories } from "../../db/schema/catalog.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Database, Queryable, Tx } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { CatalogErrors } from "./errors.ts";
import { versionConflict } from "./etag.ts";
import { refreshPriceWindows } from "./price-index.ts";
import { slugify } from "./slugs.ts";
import { bumpProductVersions, emitProductsUpdated, uniqueViolation, type WriteScope } from "./write-support.ts";

export interface CategoryView {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  path: string;
  depth: number;
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type CategoryRow = typeof categories.$inferSelect;

export const toCategoryView = (r: CategoryRow): CategoryView => ({
  id: r.id,
  parentId: r.parentId,
  slug: r.slug,
  name: r.name,
  path: r.path,
  depth: r.path.split("/").length - 1,
  position: r.position,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const invalid = (field: string, message: string) =>
  new ApiError(ErrorCode.VALIDATION_FAILED, "The body is not valid", { errors: [{ field, message }] });

/** The cursor's key is the last category's path. */
const CATEGORIES_SORT = "categories:path";

/** The tree in path order (a parent before its children), a page at a time. */
export async function listCategories(db: Queryable, options: { limit: number; cursor?: string }) {
  const [afterPath] = options.cursor ? decodeCursor(options.cursor, CATEGORIES_SORT, ["string"]) : [];
  const rows = await db
    .select()
    .from(categories)
    .where(afterPath !== undefined ? sql`${categories.path} > ${afterPath}` : undefined)
    .orderBy(categories.path)
    .limit(options.limit + 1);
  const { page, nextCursor } = keysetPage(rows, options.limit, CATEGORIES_SORT, (r) => [r.path]);
  return { items: page.map(toCategoryView), nextCursor };
}

export async function getCategory(db: Queryable, id: string): Promise<CategoryView> {
  const [row] = await db.select().from(categories).where(sql`${categories.id} = ${id}`);
  if (!row) throw notFound("category");
  return toCategoryView(row);
}

/** Tree changes take one lock, so two concurrent moves can never make a cycle. */
const lockTree = (tx: Tx) => tx.execute(sql`select pg_advisory_xact_lock(hashtext('catalog:category-tree'))`);

async function parentPath(tx: Tx, parentId: string | null): Promise<string | null> {
  if (!parentId) return null;
  const [parent] = await tx.select({ path: categories.path }).from(categories).where(sql`${categories.id} = ${parentId}`);
  if (!parent) throw invalid("parentId", "no such category");
  return parent.path;
}

const pathConflict = (err: unknown): never => {
  if (uniqueViolation(err) === "categories_path_uq")
    throw new ApiError(CatalogErrors.CATEGORY_SLUG_TAKEN, "The parent already has a category with this slug");
  throw err;
};

export async function createCategory(
  db: Database,
  input: { slug?: string; name: string; parentId: string | null; position: number },
): Promise<CategoryView> {
  const slug = input.slug ?? slugify(input.name);
  if (!slug) throw invalid("slug", "give a slug: the name has no letters or digits to make one from");
  try {
    return await db.transaction(async (tx) => {
      await lockTree(tx);
      const parent = await parentPath(tx, input.parentId);
      const [row] = await tx
        .insert(categories)
        .values({
          id: newId("cat"),
          parentId: input.parentId,
          slug,
          name: input.name,
          path: parent ? `${parent}/${slug}` : slug,
          position: input.position,
        })
        .returning();
      return toCategoryView(row!);
    });
  } catch (err) {
    return pathConflict(err);
  }
}

export interface CategoryPatch {
  slug?: string;
  name?: string;
  parentId?: string | null;
  position?: number;
}

/** Returns the category and the products whose snapshot changed. */
export async function updateCategory(
  db: Database,
  id: string,
  versions: number[],
  patch: CategoryPatch,
  scope: WriteScope,
): Promise<{ view: CategoryView; productIds: string[] }> {
  try {
    return await transactionWithEvents(
      db,
      async (tx, events) => {
        await lockTree(tx);
        const [current] = await tx.select().from(categories).where(sql`${categories.id} = ${id}`).for("update");
        if (!current) throw notFound("category");
        if (!versions.includes(current.version)) throw versionConflict("category", current.version);
        const parentId = patch.parentId === undefined ? current.parentId : patch.parentId;
        const slug = patch.slug ?? current.slug;
        const parent = await parentPath(tx, parentId);
        if (parent !== null && (parent === current.path || parent.startsWith(`${current.path}/`)))
          throw invalid("parentId", "a category cannot move under itself");
        const path = parent ? `${parent}/${slug}` : slug;
        const moved = path !== current.path;
        if (moved) {
          await tx.execute(sql`update catalog.categories set path = ${path} || substr(path, ${current.path.length + 1}), updated_at = now()
            where path like ${current.path} || '/%'`);
        }
        const [row] = await tx
          .update(categories)
          .set({
            parentId,
            slug,
            path,
            name: patch.name ?? current.name,
            position: patch.position ?? current.position,
            version: sql`${categories.version} + 1`,
            updatedAt: new Date(),
          })
          .where(sql`${categories.id} = ${id}`)
          .returning();
        const renamed = row!.name !== current.name || slug !== current.slug;
        // A move changes every product below; a rename only the category's own products' snapshots.
        const affected = moved
          ? await tx.execute<{ id: string }>(
              sql`select p.id from catalog.products p join catalog.categories c on c.id = p.category_id where c.path = ${path} or c.path like ${path} || '/%'`,
            )
          : renamed
            ? await tx.execute<{ id: string }>(sql`select id from catalog.products where category_id = ${id}`)
            : { rows: [] };
        const productIds = affected.rows.map((r) => r.id);
        await bumpProductVersions(tx, productIds);
        if (moved) await refreshPriceWindows(tx, { productIds }, scope.now);
        await emitProductsUpdated(tx, events, productIds, ["category"], scope);
        return { view: toCategoryView(row!), productIds };
      },
      scope.afterCommit,
    );
  } catch (err) {
    return pathConflict(err);
  }
}

export async function deleteCategory(db: Database, id: string, versions: number[]): Promise<void> {
  await db.transaction(async (tx) => {
    await lockTree(tx);
    const [current] = await tx.select().from(categories).where(sql`${categories.id} = ${id}`).for("update");
    if (!current) throw notFound("category");
    if (!versions.includes(current.version)) throw versionConflict("category", current.version);
    const used = await tx.execute(
      sql`select 1 from catalog.categories where parent_id = ${id} union all select 1 from catalog.products where category_id = ${id} limit 1`,
    );
    if (used.rows.length > 0) throw new ApiError(CatalogErrors.CATEGORY_NOT_EMPTY, "Move or delete its subcategories and products first");
    await tx.execute(sql`delete from catalog.categories where id = ${id}`);
  });
}
