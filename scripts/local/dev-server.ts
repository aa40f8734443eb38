/**
 * The local stack of `npm run dev`, also started by the console's browser
 * tests: PostgreSQL and the relay, migrations, the demo data, the console
 * build, `wrangler dev` with the local secrets, and the projections the seed
 * does not fill. `stop()` ends all of it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildConsole, type ConsoleWatcher, watchConsole } from "./console-build.ts";
import { startDenoServer } from "./deno-server.ts";
import { encryptionKeyVar, signingKeysVar } from "./identity-keys.ts";
import { migrateDatabase } from "./migrate.ts";
import { seedIfEmpty } from "./seed-runner.ts";
import { type Stack, startStack } from "./stack.ts";

export interface DevServerOptions {
  mode: "dev" | "test";
  /** The runtime that serves the app: the Worker under `wrangler dev` (default) or the Deno entry under `deno serve`. */
  runtime?: "workerd" | "deno";
  port: number;
  pgPort?: number;
  relayPort?: number;
  /** Where the local secrets and the Worker's env file are kept. */
  dataDir: string;
  /** Rebuild the console on every change (dev), or build it once (tests). */
  watch: boolean;
  /** wrangler's output: the terminal (dev) or nowhere (tests). */
  quiet: boolean;
  say: (line: string) => void;
  /** Called when wrangler exits on its own. */
  onExit?: (code: number) => void;
}

export interface DevServer {
  url: string;
  opsToken: string;
  /** The database's connection string, for tools beside the Worker. */
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { say, dataDir } = options;
  let stack: Stack | undefined;
  let wrangler: ChildProcess | undefined;
  let consoleWatcher: ConsoleWatcher | undefined;
  const stop = async () => {
    await consoleWatcher?.close().catch(() => undefined);
    if (wrangler && wrangler.exitCode === null) {
      const exited = new Promise((r) => wrangler!.once("exit", r));
      wrangler.kill("SIGINT");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (wrangler.exitCode === null) wrangler.kill("SIGKILL");
    }
    await stack?.stop();
  };
  try {
    const started = Date.now();
    say(
      process.env.DATABASE_URL
        ? "using DATABASE_URL"
        : `starting PostgreSQL (${options.mode === "dev" ? "data in .data/postgres" : "throwaway"})`,
    );
    stack = await startStack({ mode: options.mode, pgPort: options.pgPort, relayPort: options.relayPort, log: say });
    say("applying migrations");
    await migrateDatabase(stack.databaseUrl);
    await seedIfEmpty(stack.databaseUrl, say);
    say("building the console");
    if (options.watch) consoleWatcher = await watchConsole(say);
    else await buildConsole();

    const secret = (name: string, make: () => string = () => randomBytes(24).toString("hex")) => localSecret(dataDir, name, make);
    const opsToken = secret("ops-token");
    const vars: Record<string, string> = {
      APP_ENV: "development",
      // The browser tests sign many accounts up from one address; the gateway's limits and the sign-up throttle have tests of their own.
      ...(options.mode === "test" ? { RATE_LIMITS: "off", SIGNUPS_PER_ADDRESS_PER_HOUR: "1000000" } : {}),
      ...stack.workerVars,
      OPS_TOKEN: opsToken,
      AUDIT_CHECKPOINT_KEY: secret("audit-checkpoint-key"),
      // Identity: a local Ed25519 signing key and the key that encrypts TOTP secrets.
      JWT_SIGNING_KEYS: secret("jwt-signing-keys.json", () => signingKeysVar([{ kid: `dev-${new Date().toISOString().slice(0, 10)}` }])),
      MFA_ENCRYPTION_KEY: secret("mfa-encryption-key", encryptionKeyVar),
      // Webhook signing secrets of the sandbox payment provider and carrier (kept in the data folder, so local tools can sign).
      PAYMENT_WEBHOOK_SECRETS: secret("payment-webhook-secret"),
      CARRIER_WEBHOOK_SECRETS: JSON.stringify({ sandbox: [secret("carrier-webhook-secret")] }),
      // The pipeline's pseudonym key: stable across restarts so pseudonymous ids stay stable too.
      PII_HASH_KEY: secret("pii-hash-key"),
      // Signs guest cart ids: stable across restarts so guests keep their carts.
      CART_COOKIE_KEY: secret("cart-cookie-key"),
      ORDER_GUEST_LINK_KEY: secret("order-guest-link-key"),
    };
    const envFile = path.join(dataDir, "worker.env");
    // wrangler's dotenv reader does not unescape \" inside double quotes, so JSON values go in single quotes (taken literally).
    const quote = (v: string) => (v.includes('"') && !v.includes("'") ? `'${v}'` : JSON.stringify(v));
    writeFileSync(
      envFile,
      Object.entries(vars)
        .map(([k, v]) => `${k}=${quote(v)}`)
        .join("\n") + "\n",
      { mode: 0o600 },
    );

    if (options.runtime === "deno") {
      say(`starting deno serve on http://localhost:${options.port} (operations token: ${opsToken})`);
      wrangler = startDenoServer({ port: options.port, vars, dataDir: path.join(dataDir, "deno") });
    } else {
      say(`starting wrangler dev on http://localhost:${options.port} (operations token: ${opsToken})`);
      const bin = path.join(process.cwd(), "node_modules", ".bin", "wrangler");
      wrangler = spawn(
        bin,
        [
          "dev",
          "--port",
          String(options.port),
          "--ip",
          "127.0.0.1",
          "--test-scheduled",
          "--env-file",
          envFile,
          "--show-interactive-dev-session=false",
        ],
        { stdio: options.quiet ? "ignore" : "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
      );
    }
    wrangler.on("exit", (code) => options.onExit?.(code ?? 0));
    const url = `http://127.0.0.1:${options.port}`;
    await waitHealthy(url, started, say);
    await prepareProjections(url, opsToken, say);
    return { url, opsToken, databaseUrl: stack.databaseUrl, stop };
  } catch (err) {
    // Never leave a PostgreSQL server or wrangler behind when start-up fails half way.
    await stop();
    throw err;
  }
}

/** A random local secret, created once and kept in the data folder so it survives restarts. */
function localSecret(dataDir: string, name: string, make: () => string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, make() + "\n", { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/**
 * The demo seed writes tables directly, without events: open each SKU's
 * inventory object from the seeded stock, build the search projection and
 * the analytics product dimension. All are idempotent, so every start runs them.
 */
async function prepareProjections(url: string, opsToken: string, say: (line: string) => void): Promise<void> {
  for (const [what, route] of [
    ["inventory objects opened from the seeded stock", "/api/inventory/bootstrap"],
    ["search projection rebuilt", "/api/scheduler/jobs/search-reindex/run"],
    ["analytics product dimension filled from the catalogue", "/api/scheduler/jobs/analytics-product-sync/run"],
  ] as const) {
    try {
      const res = await fetch(`${url}${route}`, { method: "POST", headers: { authorization: `Bearer ${opsToken}` } });
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

async function waitHealthy(url: string, started: number, say: (line: string) => void): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) {
        const base = url.replace("127.0.0.1", "localhost");
        say(`healthy after ${((Date.now() - started) / 1000).toFixed(1)}s: API ${base}/api, docs ${base}/api/docs, console ${base}/admin`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the Worker did not become healthy within 150s; see the log above");
}
