/** Starts a throwaway PostgreSQL cluster and the wsproxy relay for the run, migrates it, and tears both down. */

import pg from "pg";
import { migrateDatabase } from "../scripts/local/migrate.ts";
import { type Stack, startStack } from "../scripts/local/stack.ts";
import { keepFailedExitCode } from "./helpers/keep-exit-code.ts";

let stack: Stack | undefined;

keepFailedExitCode();

export async function setup(): Promise<void> {
  stack = await startStack({
    mode: "test",
    pgPort: Number(process.env.TEST_PG_PORT),
    relayPort: Number(process.env.TEST_RELAY_PORT),
    log: (l) => console.log(l),
  });
  await migrateDatabase(stack.databaseUrl);
  await createScratchDatabase(stack.databaseUrl);
}

/** The database backup drills restore into (BACKUP_SCRATCH_DATABASE_URL in vitest.config.ts), migrated like the main one. */
async function createScratchDatabase(url: string): Promise<void> {
  const scratch = process.env.TEST_SCRATCH_DATABASE_URL;
  if (!scratch) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const name = new URL(scratch).pathname.slice(1);
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  await migrateDatabase(scratch);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}
