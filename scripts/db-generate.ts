/**
 * `npm run db:generate -- <family> [drizzle-kit generate options]`: writes the
 * next SQL migration of one schema family (db/schema/<family>.ts) into
 * db/migrations/<family>/. With --custom, an empty migration for hand-written SQL.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { DB_FAMILIES } from "../db/families.ts";

const [family, ...rest] = process.argv.slice(2);
if (!family || !(DB_FAMILIES as readonly string[]).includes(family)) {
  process.stderr.write(
    `usage: npm run db:generate -- <family> [--name <what>] [--custom]\nfamilies: ${DB_FAMILIES.join(", ")} (add a new one to db/families.ts first)\n`,
  );
  process.exit(2);
}
const bin = path.join(process.cwd(), "node_modules", ".bin", "drizzle-kit");
const result = spawnSync(bin, ["generate", ...rest], { stdio: "inherit", env: { ...process.env, DB_FAMILY: family } });
process.exit(result.status ?? 1);
