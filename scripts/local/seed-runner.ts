/**
 * Writes the demo catalogue (db/seed/demo-data.ts) and demo accounts into a
 * migrated database over TCP with node-postgres. Used by `npm run dev` (first
 * run only) and by `npm run db:seed`.
 *
 * Everything goes in one transaction, so a failed or interrupted seed leaves
 * the database as it was, and multi-row INSERTs keep it to a few dozen round
 * trips instead of one per row.
 */
import pg from "pg";
import { type DemoData, type DemoOptions, generateDemoData } from "../../db/seed/demo-data.ts";
import { hashPassword } from "../../workers/identity/password.ts";
import { type DiscountRule, priceWindows } from "../../workers/products/pricing.ts";
import { UserFacingError } from "./ports.ts";

/** Shared by every demo account, and printed after seeding: these accounts are for local use only. */
export const DEMO_PASSWORD = "demo-password-123";

/** Rows per INSERT: well under Postgres's 65,535 bind parameters for the widest table (12 columns). */
const BATCH_ROWS = 200;

/** Children before parents, for reading; TRUNCATE of the whole list at once does not care. */
const DEMO_TABLES = [
  "catalog.price_windows",
  "catalog.product_images",
  "catalog.discounts",
  "catalog.edge_cache_urls",
  "catalog.variants",
  "catalog.products",
  "catalog.categories",
  "catalog.brands",
  "inventory.stock_levels",
  "users.users",
];

/** Serialises concurrent seeders (two `npm run dev` against one DATABASE_URL) on the check-then-insert. */
const SEED_LOCK_KEY = 0x5eed;

type Say = (line: string) => void;

export interface SeedOptions {
  /** Empty the demo tables first (in the same transaction), as `db:seed --force` does. */
  reset?: boolean;
  /** Generator options, e.g. a larger catalogue for benchmarks. */
  demo?: DemoOptions;
}

/** Seeds only when catalog.products is empty, so restarting `npm run dev` keeps local edits. */
export async function seedIfEmpty(url: string, say: Say): Promise<void> {
  await withClient(url, async (client) => {
    const alreadySeeded = async () => {
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from catalog.products");
      const existing = rows[0]?.n ?? 0;
      if (existing > 0) say(`demo data already seeded (${existing} products); run \`npm run db:seed -- --force\` to reseed`);
      return existing > 0;
    };
    // Checked before hashing (the slow part) so a restart skips it, and again under the lock in case another seeder won.
    if (await alreadySeeded()) return;
    const users = await hashedDemoUsers();
    await inTransaction(client, async () => {
      await client.query("select pg_advisory_xact_lock($1)", [SEED_LOCK_KEY]);
      if (!(await alreadySeeded())) await writeDemoData(client, say, users);
    });
  });
}

/** Seeds unconditionally; with `reset`, after emptying the demo tables. */
export async function seed(url: string, say: Say, options: SeedOptions = {}): Promise<void> {
  await withClient(url, async (client) => {
    const users = await hashedDemoUsers(options.demo);
    await inTransaction(client, async () => {
      await client.query("select pg_advisory_xact_lock($1)", [SEED_LOCK_KEY]);
      if (options.reset) {
        // CASCADE also empties rows of other tables that reference demo rows (addresses, sessions, reviews...):
        // --force asks for a clean demo database.
        say(`emptying ${DEMO_TABLES.join(", ")} and the rows that reference them`);
        await client.query(`truncate table ${DEMO_TABLES.join(", ")} cascade`);
      }
      await writeDemoData(client, say, users);
    });
  });
}

interface HashedUsers {
  data: DemoData;
  hashes: Map<string, string>;
  /** When generation began, so the reported time covers generating, hashing and writing. */
  started: number;
}

/** Generates the data and hashes the passwords before the transaction opens, so it stays short. */
async function hashedDemoUsers(demo: DemoOptions = {}): Promise<HashedUsers> {
  const started = performance.now();
  const data = generateDemoData({ now: new Date(), ...demo });
  // PBKDF2 runs off the main thread in Node, so hashing in parallel takes about as long as one hash.
  const hashes = await Promise.all(data.users.map(async (u) => [u.email, await hashPassword(DEMO_PASSWORD)] as const));
  return { data, hashes: new Map(hashes), started };
}

async function writeDemoData(client: pg.Client, say: Say, { data, hashes, started }: HashedUsers): Promise<void> {
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

/** One multi-row INSERT per batch; returns how many rows were actually inserted. */
async function insertRows(
  client: pg.Client,
  table: string,
  columns: string[],
  rows: unknown[][],
  suffix: string,
  onBatch: (done: number) => void,
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS);
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(", ")})`);
    const result = await client.query(`insert into ${table} (${columns.join(", ")}) values ${tuples.join(", ")} ${suffix}`, params);
    inserted += result.rowCount ?? 0;
    onBatch(i + batch.length);
  }
  return inserted;
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

/**
 * A single line rewritten in place when stdout is a terminal; in logs and CI,
 * one plain line per batch (`seed: products 200/313`), since `\r` would garble them.
 */
class Progress {
  private readonly tty = process.stdout.isTTY === true;
  private drawn = false;
  constructor(private readonly say: Say) {}

  update(label: string, done: number, total: number): void {
    const line = `seed: ${label} ${done}/${total}`;
    if (!this.tty) {
      this.say(line);
      return;
    }
    process.stdout.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) process.stdout.write("\r\x1b[2K");
    this.drawn = false;
  }
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A connection lost mid-seed (server stopped, Ctrl-C) already rejects the pending query; without a
  // listener the same error would also be thrown as an uncaught 'error' event and crash the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function inTransaction(client: pg.Client, run: () => Promise<void>): Promise<void> {
  await client.query("begin");
  try {
    await run();
    await client.query("commit");
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  }
}
