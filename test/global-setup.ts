/** Starts a throwaway PostgreSQL cluster and the wsproxy relay for the run, migrates it, and tears both down. */
import { migrateDatabase } from "../scripts/local/migrate.ts";
import { startStack, type Stack } from "../scripts/local/stack.ts";

let stack: Stack | undefined;

export async function setup(): Promise<void> {
  stack = await startStack({
    mode: "test",
    pgPort: Number(process.env.TEST_PG_PORT),
    relayPort: Number(process.env.TEST_RELAY_PORT),
    log: (l) => console.log(l),
  });
  await migrateDatabase(stack.databaseUrl);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}
