/**
 * Builds the merchant console (console/) into console/dist, which the
 * Worker's static assets serve at /admin. `npm run dev` keeps a watcher
 * running so an edit is rebuilt and served on the next page load.
 */
import path from "node:path";
import { build } from "vite";

const configFile = path.join(process.cwd(), "console", "vite.config.ts");
const options = { configFile, logLevel: "warn" as const, mode: "production" };

/** React's production build (and JSX runtime), even when the caller's NODE_ENV says otherwise (vitest sets "test"). */
async function asProduction<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

export interface ConsoleWatcher {
  close(): Promise<void>;
}

/** One production build (the end-to-end tests and the deploy use this). */
export async function buildConsole(): Promise<void> {
  await asProduction(() => build(options));
}

/** A first build, then rebuilds on every change until closed. Resolves once the first build is written. */
export async function watchConsole(say: (line: string) => void): Promise<ConsoleWatcher> {
  const watcher = (await asProduction(() => build({ ...options, build: { watch: {} } }))) as unknown as {
    on(event: "event", fn: (e: { code: string; error?: Error; result?: { close(): Promise<void> } }) => void): void;
    close(): Promise<void>;
  };
  let first = true;
  await new Promise<void>((resolve, reject) => {
    watcher.on("event", (e) => {
      e.result?.close().catch(() => undefined);
      if (e.code === "END") {
        if (first) resolve();
        else say("console rebuilt");
        first = false;
      }
      if (e.code === "ERROR") {
        if (first) reject(e.error);
        else say(`console build failed: ${e.error?.message}`);
      }
    });
  });
  return { close: () => watcher.close() };
}
