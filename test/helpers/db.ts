/** Direct database access for tests, through the same driver the Worker uses. */
import { env } from "cloudflare:workers";
import { openDb, type Database } from "../../workers/platform/db.ts";
import type { Env } from "../../workers/platform/env.ts";

export const testEnv = env as unknown as Env;

export async function withTestDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = openDb(testEnv);
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}
