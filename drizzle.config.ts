/**
 * drizzle-kit works on one schema family at a time:
 *   npm run db:generate -- <family> [--name <what>] [--custom]
 * reads db/schema/<family>.ts and writes db/migrations/<family>/.
 */
import { defineConfig } from "drizzle-kit";
import { DB_FAMILIES } from "./db/families.ts";

const family = process.env.DB_FAMILY;
if (!family || !(DB_FAMILIES as readonly string[]).includes(family)) {
  throw new Error(`Set DB_FAMILY to one of: ${DB_FAMILIES.join(", ")}`);
}

export default defineConfig({
  dialect: "postgresql",
  schema: `./db/schema/${family}.ts`,
  out: `./db/migrations/${family}`,
  migrations: { table: `__migrations_${family}`, schema: "drizzle" },
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/commerce" },
});
