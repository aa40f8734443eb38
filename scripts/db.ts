/**
 * Database chores from the command line:
 *
 *   tsx scripts/db.ts migrate          apply every family's migrations (db/migrations/<family>)
 *   tsx scripts/db.ts seed             migrate, then seed the demo data if the catalogue is empty
 *   tsx scripts/db.ts seed --force     migrate, empty the demo tables and seed again
 *
 * With DATABASE_URL set, that server is used as is. Otherwise the embedded
 * PostgreSQL of `npm run dev` is started on PG_PORT (default 54329) over the
 * same .data/postgres folder, and stopped again when the command ends, fails
 * or is interrupted. Run it while `npm run dev` is stopped, or with the dev
 * server's DATABASE_URL: the data folder can only be open once.
 */
import { migrateDatabase } from "./local/migrate.ts";
import { UserFacingError } from "./local/ports.ts";
import { seed, seedIfEmpty } from "./local/seed-runner.ts";
import { type Stack, startStack } from "./local/stack.ts";

const USAGE = "usage: tsx scripts/db.ts migrate | seed [--force]";
const PG_PORT = Number(process.env.PG_PORT ?? 54329);
const TAG = process.stdout.isTTY ? "\x1b[36m[db]\x1b[0m" : "[db]";

function say(line: string): void {
  process.stdout.write(`${TAG} ${line}\n`);
}

interface Command {
  name: "migrate" | "seed";
  force: boolean;
}

function parseArgs(args: string[]): Command {
  const [name, ...flags] = args;
  if (name !== "migrate" && name !== "seed") throw new UserFacingError(name ? `unknown command "${name}"\n${USAGE}` : USAGE);
  const allowed = name === "seed" ? ["--force"] : [];
  const unknown = flags.filter((f) => !allowed.includes(f));
  if (unknown.length > 0) throw new UserFacingError(`unknown option ${unknown.join(" ")} for "${name}"\n${USAGE}`);
  return { name, force: flags.includes("--force") };
}

// The embedded server, once started; kept at module level so a signal handler can stop it.
let stackStarting: Promise<Stack> | undefined;
let stopping: Promise<void> | undefined;

/** Stops the embedded server at most once, whoever asks first (normal end, error or signal). */
function stopStack(): Promise<void> {
  stopping ??= (async () => {
    const stack = await stackStarting?.catch(() => undefined);
    await stack?.stop();
  })();
  return stopping;
}

async function withDatabase(run: (url: string) => Promise<void>): Promise<void> {
  const external = process.env.DATABASE_URL;
  if (external) {
    say("using DATABASE_URL");
    return run(external);
  }
  say(`starting PostgreSQL on 127.0.0.1:${PG_PORT} (data in .data/postgres)`);
  stackStarting = startStack({ mode: "dev", pgPort: PG_PORT, relayPort: 0, log: say });
  try {
    const stack = await stackStarting;
    await run(stack.databaseUrl);
  } finally {
    await stopStack();
  }
}

async function main(): Promise<void> {
  const command = parseArgs(process.argv.slice(2));
  const started = performance.now();
  await withDatabase(async (url) => {
    say("applying migrations");
    await migrateDatabase(url);
    if (command.name === "seed") {
      if (command.force) await seed(url, say, { reset: true });
      else await seedIfEmpty(url, say);
    }
  });
  say(`done in ${((performance.now() - started) / 1000).toFixed(1)}s`);
}

let interrupted = false;
for (const [signal, number] of [
  ["SIGINT", 2],
  ["SIGTERM", 15],
] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    // The seed runs in one transaction: dropping the connection rolls it back, so stopping now is safe.
    say(`${signal}: stopping`);
    void stopStack().finally(() => process.exit(128 + number));
  });
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    // An interrupted run fails its pending query; the signal handler reports and exits.
    if (interrupted) return;
    await stopStack();
    if (err instanceof UserFacingError) {
      process.stderr.write(`${process.stderr.isTTY ? "\x1b[31m[db]\x1b[0m" : "[db]"} ${err.message}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exit(1);
  },
);
