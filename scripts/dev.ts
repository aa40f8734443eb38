/**
 * `npm run dev`: starts PostgreSQL (embedded, persisted in .data/) and the
 * wsproxy relay, migrates, seeds the demo data on first run, builds the
 * console (and rebuilds it on every change), then runs `wrangler dev` with
 * scheduled-event testing. Ctrl-C stops everything.
 */
import path from "node:path";
import { cronsFromWranglerToml, startCronTicker } from "./local/cron-ticker.ts";
import { type DevServer, startDevServer } from "./local/dev-server.ts";
import { UserFacingError } from "./local/ports.ts";

const PORT = Number(process.env.PORT ?? 8787);
const PG_PORT = Number(process.env.PG_PORT ?? 54329);
const RELAY_PORT = Number(process.env.RELAY_PORT ?? 54330);
/** `--runtime=deno` serves the Deno entry with `deno serve` instead of the Worker with `wrangler dev`. */
const ON_DENO = process.argv.includes("--runtime=deno");

function say(line: string): void {
  process.stdout.write(`\x1b[36m[dev]\x1b[0m ${line}\n`);
}

let server: DevServer | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  await server?.stop();
  say("stopped");
  process.exit(code);
}

async function main(): Promise<void> {
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  server = await startDevServer({
    mode: "dev",
    runtime: ON_DENO ? "deno" : "workerd",
    port: PORT,
    pgPort: PG_PORT,
    relayPort: RELAY_PORT,
    dataDir: path.join(process.cwd(), ".data"),
    watch: true,
    quiet: false,
    say,
    onExit: (code) => void shutdown(code),
  });
  say("local demo sign-in for the console: admin@example.com (the seed's password above)");
  // On Deno the entry schedules its jobs itself with Deno.cron.
  if (ON_DENO) return;
  const crons = cronsFromWranglerToml(path.join(process.cwd(), "wrangler.toml"));
  startCronTicker(`http://127.0.0.1:${PORT}`, crons, say);
  say(`cron triggers fire locally on schedule: ${crons.join(", ")}`);
}

main().catch(async (err) => {
  if (err instanceof UserFacingError) {
    process.stderr.write(`\x1b[31m[dev]\x1b[0m ${err.message}\n`);
  } else {
    process.stderr.write(`\x1b[31m[dev]\x1b[0m ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
