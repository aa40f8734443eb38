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
import type { DemoOptions } from "../../db/seed/demo-data.ts";
import { hashedDemoUsers, writeDemoData } from "./demo-writer.ts";
import type { Say } from "./seed-progress.ts";

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
