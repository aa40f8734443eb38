/**
 * `npm run dev`: starts PostgreSQL (embedded, persisted in .data/) and the
 * wsproxy relay, migrates, seeds the demo data on first run, then runs
 * `wrangler dev` with scheduled-event testing. Ctrl-C stops everything.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cronsFromWranglerToml, startCronTicker } from "./local/cron-ticker.ts";
import { startDenoServer } from "./local/deno-server.ts";
import { encryptionKeyVar, signingKeysVar } from "./local/identity-keys.ts";
import { migrateDatabase } from "./local/migrate.ts";
import { UserFacingError } from "./local/ports.ts";
import { seedIfEmpty } from "./local/seed-runner.ts";
import { type Stack, startStack } from "./local/stack.ts";

const PORT = Number(process.env.PORT ?? 8787);
const PG_PORT = Number(process.env.PG_PORT ?? 54329);
const RELAY_PORT = Number(process.env.RELAY_PORT ?? 54330);
const DATA = path.join(process.cwd(), ".data");
/** `--runtime=deno` serves the Deno entry with `deno serve` instead of the Worker with `wrangler dev`. */
const ON_DENO = process.argv.includes("--runtime=deno");

function say(line: string): void {
  process.stdout.write(`\x1b[36m[dev]\x1b[0m ${line}\n`);
}

/** A random local secret, created once and kept in .data so it survives restarts. */
function localSecret(name: string, make: () => string = () => randomBytes(24).toString("hex")): string {
  mkdirSync(DATA, { recursive: true });
  const file = path.join(DATA, name);
  if (!existsSync(file)) writeFileSync(file, make() + "\n", { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

let stack: Stack | undefined;

async function main(): Promise<void> {
  const started = Date.now();
  let wrangler: ChildProcess | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    if (wrangler && wrangler.exitCode === null) {
      wrangler.kill("SIGINT");
      await new Promise((r) => setTimeout(r, 200));
    }
    await stack?.stop();
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  say(process.env.DATABASE_URL ? "using DATABASE_URL" : `starting PostgreSQL on 127.0.0.1:${PG_PORT} (data in .data/postgres)`);
  stack = await startStack({ mode: "dev", pgPort: PG_PORT, relayPort: RELAY_PORT, log: (l) => say(l) });
  say("applying migrations");
  await migrateDatabase(stack.databaseUrl);
  await seedIfEmpty(stack.databaseUrl, say);

  const opsToken = localSecret("ops-token");
  const vars: Record<string, string> = {
    APP_ENV: "development",
    ...stack.workerVars,
    OPS_TOKEN: opsToken,
    AUDIT_CHECKPOINT_KEY: localSecret("audit-checkpoint-key"),
    // Identity: a local Ed25519 signing key and the key that encrypts TOTP secrets.
    JWT_SIGNING_KEYS: localSecret("jwt-signing-keys.json", () => signingKeysVar([{ kid: `dev-${new Date().toISOString().slice(0, 10)}` }])),
    MFA_ENCRYPTION_KEY: localSecret("mfa-encryption-key", encryptionKeyVar),
    // Webhook signing secrets of the sandbox payment provider and carrier (kept in .data, so local tools can sign).
    PAYMENT_WEBHOOK_SECRETS: localSecret("payment-webhook-secret"),
    CARRIER_WEBHOOK_SECRETS: JSON.stringify({ sandbox: [localSecret("carrier-webhook-secret")] }),
    // The pipeline's pseudonym key: stable across restarts so pseudonymous ids stay stable too.
    PII_HASH_KEY: localSecret("pii-hash-key"),
    // Signs guest cart ids: stable across restarts so guests keep their carts.
    CART_COOKIE_KEY: localSecret("cart-cookie-key"),
  };
  const envFile = path.join(DATA, "worker.env");
  // wrangler's dotenv reader does not unescape \" inside double quotes, so JSON values go in single quotes (taken literally).
  const quote = (v: string) => (v.includes('"') && !v.includes("'") ? `'${v}'` : JSON.stringify(v));
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${quote(v)}`)
      .join("\n") + "\n",
    { mode: 0o600 },
  );

  if (ON_DENO) {
    say(`starting deno serve on http://localhost:${PORT} (operations token: ${opsToken})`);
    wrangler = startDenoServer({ port: PORT, vars, dataDir: path.join(DATA, "deno") });
  } else {
    say(`starting wrangler dev on http://localhost:${PORT} (operations token: ${opsToken})`);
    const bin = path.join(process.cwd(), "node_modules", ".bin", "wrangler");
    wrangler = spawn(
      bin,
      [
        "dev",
        "--port",
        String(PORT),
        "--ip",
        "127.0.0.1",
        "--test-scheduled",
        "--env-file",
        envFile,
        "--show-interactive-dev-session=false",
      ],
      {
        stdio: "inherit",
        env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      },
    );
  }
  wrangler.on("exit", (code) => void shutdown(code ?? 0));
  await waitHealthy(started);
  await prepareProjections(opsToken);
  // On Deno the entry schedules its jobs itself with Deno.cron.
  if (ON_DENO) return;
  const crons = cronsFromWranglerToml(path.join(process.cwd(), "wrangler.toml"));
  startCronTicker(`http://127.0.0.1:${PORT}`, crons, say);
  say(`cron triggers fire locally on schedule: ${crons.join(", ")}`);
}

/**
 * The demo seed writes tables directly, without events: open each SKU's
 * inventory object from the seeded stock, build the search projection and
 * the analytics product dimension. All are idempotent, so every start runs them.
 */
async function prepareProjections(opsToken: string): Promise<void> {
  for (const [what, path] of [
    ["inventory objects opened from the seeded stock", "/api/inventory/bootstrap"],
    ["search projection rebuilt", "/api/scheduler/jobs/search-reindex/run"],
    ["analytics product dimension filled from the catalogue", "/api/scheduler/jobs/analytics-product-sync/run"],
  ] as const) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}${path}`, { method: "POST", headers: { authorization: `Bearer ${opsToken}` } });
      const run = (await res.json()) as { outcome?: string; result?: unknown };
      say(
        res.ok && run.outcome !== "failed"
          ? `${what}: ${JSON.stringify(run.result ?? {})}`
          : `${what}: failed (${res.status}) ${JSON.stringify(run)}`,
      );
    } catch (err) {
      say(`${what}: could not reach the Worker (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}

async function waitHealthy(started: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/api/health`);
      if (res.ok) {
        say(
          `healthy after ${((Date.now() - started) / 1000).toFixed(1)}s: API http://localhost:${PORT}/api, docs http://localhost:${PORT}/api/docs`,
        );
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  say("the Worker did not become healthy within 150s; see the log above");
}

main().catch(async (err) => {
  // Never leave a PostgreSQL server behind when start-up fails half way.
  await stack?.stop();
  if (err instanceof UserFacingError) {
    process.stderr.write(`\x1b[31m[dev]\x1b[0m ${err.message}\n`);
  } else {
    process.stderr.write(`\x1b[31m[dev]\x1b[0m ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
