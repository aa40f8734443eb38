/**
 * The contract suite's global setup: a throwaway PostgreSQL with its relay,
 * migrated, and one runtime serving the application on a free port:
 * `wrangler dev` (workerd) or `deno serve` (the Deno entry), as
 * CONTRACT_RUNTIME says. The tests only see the base URL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startDenoServer } from "../../scripts/local/deno-server.ts";
import { encryptionKeyVar, signingKeysVar } from "../../scripts/local/identity-keys.ts";
import { migrateDatabase } from "../../scripts/local/migrate.ts";
import { freePort } from "../../scripts/local/ports.ts";
import { type Stack, startStack } from "../../scripts/local/stack.ts";
import { keepFailedExitCode } from "../helpers/keep-exit-code.ts";

// A failed run must not exit 0 (see keep-exit-code.ts).
keepFailedExitCode();

export const CONTRACT_OPS_TOKEN = "contract-ops-token-0123456789abcdef";
export type ContractRuntime = "workerd" | "deno";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    runtime: ContractRuntime;
  }
}

let stack: Stack | undefined;
let server: ChildProcess | undefined;
let scratch: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const runtime = (process.env.CONTRACT_RUNTIME ?? "workerd") as ContractRuntime;
  if (runtime !== "workerd" && runtime !== "deno") throw new Error(`CONTRACT_RUNTIME must be workerd or deno, not ${runtime}`);
  stack = await startStack({ mode: "test", pgPort: await freePort(), relayPort: await freePort() });
  await migrateDatabase(stack.databaseUrl);
  scratch = mkdtempSync(path.join(tmpdir(), `contract-${runtime}-`));
  const port = await freePort();
  const vars: Record<string, string> = {
    APP_ENV: "test",
    LOG_LEVEL: "warn",
    ...stack.workerVars,
    OPS_TOKEN: CONTRACT_OPS_TOKEN,
    JWT_SIGNING_KEYS: signingKeysVar([{ kid: `contract-${Date.now()}` }]),
    JWT_ISSUER: "https://api.contract",
    JWT_AUDIENCE: "edge-commerce-contract",
    MFA_ENCRYPTION_KEY: encryptionKeyVar(),
    PASSWORD_ITERATIONS: "20000",
    AUDIT_CHECKPOINT_KEY: "contract-audit-checkpoint-key-0123456789",
    PII_HASH_KEY: "contract-pii-hash-key-0123456789abcdef-0123",
    QUEUE_RETRY_BASE_SECONDS: "0",
  };
  server = runtime === "deno" ? startDenoServer({ port, vars, dataDir: path.join(scratch, "deno") }) : startWrangler(port, vars, scratch);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, server);
  project.provide("baseUrl", baseUrl);
  project.provide("runtime", runtime);
}

function startWrangler(port: number, vars: Record<string, string>, dir: string): ChildProcess {
  const envFile = path.join(dir, "worker.env");
  // wrangler's dotenv reader takes single-quoted values literally (JSON values need that).
  const quote = (v: string) => (v.includes('"') && !v.includes("'") ? `'${v}'` : JSON.stringify(v));
  writeFileSync(
    envFile,
    `${Object.entries(vars)
      .map(([k, v]) => `${k}=${quote(v)}`)
      .join("\n")}\n`,
  );
  const bin = path.join(process.cwd(), "node_modules", ".bin", "wrangler");
  const args = [
    "dev",
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--log-level",
    "warn",
    "--env-file",
    envFile,
    "--persist-to",
    path.join(dir, "state"),
  ];
  return spawn(bin, [...args, "--show-interactive-dev-session=false"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
}

async function waitHealthy(baseUrl: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the runtime exited with ${child.exitCode} before it answered`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${baseUrl} did not become healthy within 180 s`);
}

export async function teardown(): Promise<void> {
  if (server && server.exitCode === null) {
    server.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 500));
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
