/**
 * Debian's Chromium driven by playwright-core: headless, no sandbox (CI runs
 * as root), nothing that reaches the network on its own, and a fresh
 * profile per launch.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Launched {
  browser: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context on a fresh, throwaway profile (the --user-data-dir of the flags). */
export async function launch(): Promise<Launched> {
  const profile = mkdtempSync(path.join(tmpdir(), "console-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    locale: "en-US",
    timezoneId: "UTC",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser: context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser };
