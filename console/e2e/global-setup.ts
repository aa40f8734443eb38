/**
 * Starts the stack as `npm run dev` does (throwaway PostgreSQL, migrations,
 * demo data, the console build, wrangler dev) on free ports, checks that
 * Debian's Chromium is there, adds a little shop activity for the
 * dashboard, and hands the URL and operations token to the tests.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type DevServer, startDevServer } from "../../scripts/local/dev-server.ts";
import { freePort } from "../../scripts/local/ports.ts";
import { keepFailedExitCode } from "../../test/helpers/keep-exit-code.ts";
import { CHROMIUM } from "./browser.ts";
import { placeConfirmedOrders } from "./shop.ts";

// A failed run must not exit 0 (see keep-exit-code.ts).
keepFailedExitCode();

let server: DevServer | undefined;
let dataDir: string | undefined;

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    opsToken: string;
    databaseUrl: string;
  }
}

function ensureChromium(): void {
  // .ci/run installs it; on a developer's machine it is one command away.
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
}

export async function setup(project: TestProject): Promise<void> {
  ensureChromium();
  // The Worker's own suite left process.chdir alone; the stack's paths are relative to the repository.
  process.chdir(path.resolve(import.meta.dirname, "..", ".."));
  dataDir = mkdtempSync(path.join(tmpdir(), "console-e2e-"));
  const log: string[] = [];
  try {
    server = await startDevServer({
      mode: "test",
      port: await freePort(),
      relayPort: await freePort(),
      dataDir,
      watch: false,
      quiet: true,
      say: (line) => log.push(line),
    });
  } catch (err) {
    process.stderr.write(`${log.join("\n")}\n`);
    throw err;
  }
  // Browsers treat localhost (not 127.0.0.1) as a secure context, where the Secure refresh cookie is kept.
  const baseUrl = server.url.replace("127.0.0.1", "localhost");
  await placeConfirmedOrders(baseUrl, 3);
  project.provide("baseUrl", baseUrl);
  project.provide("opsToken", server.opsToken);
  project.provide("databaseUrl", server.databaseUrl);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
