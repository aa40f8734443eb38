/**
 * The demo data a seed writes: generated with its accounts' passwords hashed
 * up front, then written table by table in multi-row INSERTs, with the
 * listing's price index computed as the Worker computes it.
 */
import type pg from "pg";
import { type DemoData, type DemoOptions, generateDemoData } from "../../db/seed/demo-data.ts";
import { hashPassword } from "../../workers/identity/password.ts";
import { type DiscountRule, priceWindows } from "../../workers/products/pricing.ts";
import { insertRows } from "./batch-insert.ts";
import { UserFacingError } from "./ports.ts";
import { Progress, type Say } from "./seed-progress.ts";

/** Shared by every demo account, and printed after seeding: these accounts are for local use only. */
export const DEMO_PASSWORD = "demo-password-123";

interface HashedUsers {
  data: DemoData;
  hashes: Map<string, string>;
  /** When generation began, so the reported time covers generating, hashing and writing. */
  started: number;
}

/** Generates the data and hashes the passwords before the transaction opens, so it stays short. */
export async function hashedDemoUsers(demo: DemoOptions = {}): Promise<HashedUsers> {
  const started = performance.now();
  const data = generateDemoData({ now: new Date(), ...demo });
  // PBKDF2 runs off the main thread in Node, so hashing in parallel takes about as long as one hash.
  const hashes = await Promise.all(data.users.map(async (u) => [u.email, await hashPassword(DEMO_PASSWORD)] as const));
  return { data, hashes: new Map(hashes), started };
}

/** Writes the data in the caller's transaction, reporting progress and then what it wrote; a failure a person can fix is explained. */
export async function writeDemoData(client: pg.Client, say: Say, { data, hashes, started }: HashedUsers): Promise<void> {
  const progress = new Progress(say);
  try {
    const insert = (label: string, table: string, columns: string[], rows: unknown[][], suffix = "") =>
      insertRows(client, table, columns, rows, suffix, (done) => progress.update(label, done, rows.length));

    await insert(
      "categories",
      "catalog.categories",
      ["id", "parent_id", "slug", "name", "path", "position"],
      data.categories.map((c) => [c.id, c.parentId, c.slug, c.name, c.path, c.position]),
    );
    await insert(
      "brands",
      "catalog.brands",
      ["id", "slug", "name"],
      data.brands.map((b) => [b.id, b.slug, b.name]),
    );
    await insert(
      "products",
      "catalog.products",
      ["id", "slug", "name", "description", "brand_id", "category_id", "status", "tags"],
      data.products.map((p) => [p.id, p.slug, p.name, p.description, p.brandId, p.categoryId, p.status, p.tags]),
    );
    await insert(
      "variants",
      "catalog.variants",
      [
        "id",
        "product_id",
        "sku",
        "options",
        "price_minor",
        "compare_at_minor",
        "currency",
        "weight_grams",
        "length_mm",
        "width_mm",
        "height_mm",
        "position",
      ],
      data.variants.map((v, i) => [
        v.id,
        v.productId,
        v.sku,
        JSON.stringify(v.options),
        v.priceMinor,
        v.compareAtMinor,
        v.currency,
        v.weightGrams,
        v.lengthMm,
        v.widthMm,
        v.heightMm,
        i,
      ]),
    );
    await insert(
      "discounts",
      "catalog.discounts",
      ["id", "name", "kind", "percent_bp", "amount_minor", "currency", "scope", "product_id", "category_id", "starts_at", "ends_at"],
      data.discounts.map((d) => [
        d.id,
        d.name,
        d.kind,
        d.percentBp,
        d.amountMinor,
        d.currency,
        d.scope,
        d.productId,
        d.categoryId,
        d.startsAt,
        d.endsAt,
      ]),
    );
    await insert(
      "prices",
      "catalog.price_windows",
      ["product_id", "valid_from", "valid_until", "min_price_minor", "max_price_minor", "currency", "discounted"],
      demoPriceWindows(data),
    );
    // Fresh statistics, so the first listings are planned for the catalogue that is there rather than for empty tables.
    await client.query(
      "analyze catalog.categories, catalog.brands, catalog.products, catalog.variants, catalog.discounts, catalog.price_windows, inventory.stock_levels",
    );
    await insert(
      "stock",
      "inventory.stock_levels",
      ["sku", "on_hand", "reserved", "available", "low_stock_threshold"],
      data.stock.map((s) => [s.sku, s.onHand, s.reserved, s.available, s.lowStockThreshold]),
    );
    // Users survive a products-only wipe or a sign-up through the API; an existing email keeps its account and password.
    const now = new Date();
    const usersAdded = await insert(
      "users",
      "users.users",
      ["id", "email", "name", "role", "password_hash", "email_verified_at"],
      data.users.map((u) => [u.id, u.email, u.name, u.role, hashes.get(u.email), u.emailVerified ? now : null]),
      "on conflict (email) do nothing",
    );
    progress.clear();

    const count = (status: string) => data.products.filter((p) => p.status === status).length;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    say(
      `seeded ${data.categories.length} categories, ${data.brands.length} brands, ${data.products.length} products ` +
        `(${count("active")} active, ${count("draft")} draft, ${count("archived")} archived), ${data.variants.length} variants, ${data.discounts.length} discounts, ` +
        `${data.stock.length} stock levels, ${usersAdded} users in ${seconds}s`,
    );
    if (usersAdded < data.users.length) say(`${data.users.length - usersAdded} demo users already existed and were left unchanged`);
    const others = data.users.filter((u) => u.role !== "admin").map((u) => u.email);
    say(`local demo accounts: admin@example.com / ${DEMO_PASSWORD} (local use only)`);
    say(`same password for ${others.join(", ")}`);
  } catch (err) {
    progress.clear();
    throw explain(err);
  }
}

/** The listing's price index for the demo products, from the catalog's pricing function (as the Worker computes it on every write). */
function demoPriceWindows(data: DemoData): unknown[][] {
  const now = new Date();
  const paths = new Map(data.categories.map((c) => [c.id, c.path]));
  const rules: DiscountRule[] = data.discounts.map((d) => ({
    ...d,
    categoryPath: d.categoryId ? (paths.get(d.categoryId) ?? null) : null,
  }));
  const byProduct = new Map<string, DemoData["variants"]>();
  for (const v of data.variants) byProduct.set(v.productId, [...(byProduct.get(v.productId) ?? []), v]);
  return data.products.flatMap((p) => {
    const categoryPath = paths.get(p.categoryId) ?? null;
    const variants = (byProduct.get(p.id) ?? []).map((v) => ({
      productId: p.id,
      categoryPath,
      priceMinor: v.priceMinor,
      compareAtMinor: v.compareAtMinor,
      currency: v.currency,
    }));
    return priceWindows(variants, rules, now).map((w) => [
      p.id,
      w.validFrom ?? "-infinity",
      w.validUntil ?? "infinity",
      w.minPriceMinor,
      w.maxPriceMinor,
      w.currency,
      w.discounted,
    ]);
  });
}

/** Turns the two failures a person can fix themselves into a plain message. */
function explain(err: unknown): unknown {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === "23505") {
    return new UserFacingError(
      `The database already holds catalogue rows that clash with the demo data (${e.constraint ?? "unique constraint"}). ` +
        "Run `npm run db:seed -- --force` to empty the demo tables and seed again.",
    );
  }
  if (e.code === "0A000" && e.message?.includes("truncate")) {
    return new UserFacingError(`Cannot empty the demo tables: ${e.message}. Remove the rows that reference them first.`);
  }
  return err;
}
