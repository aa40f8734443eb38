/**
 * Serving Workers for benchmarks: the built app with its real bindings via
 * Miniflare's API (no dev-server proxy), the hello-world baseline on the same
 * runtime, or either under `wrangler dev`.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { freePort } from "../local/ports.ts";

export const ROOT = process.cwd();
const WRANGLER = path.join(ROOT, "node_modules", ".bin", "wrangler");

export interface Served {
  url: string;
  stop: () => Promise<void>;
  /** The Miniflare instance, when served through its API (bindings, queue producers). */
  mf?: Miniflare;
}

/** Bundles the Worker exactly as `wrangler deploy` would, into a temporary folder. */
export function build(): string {
  const out = mkdtempSync(path.join(tmpdir(), "edge-commerce-bench-"));
  // wrangler refuses a missing static-assets folder; the Worker's code does not need the console built.
  mkdirSync(path.join(ROOT, "console", "dist"), { recursive: true });
  execFileSync(WRANGLER, ["deploy", "--dry-run", "--outdir", out], { stdio: ["ignore", "ignore", "inherit"] });
  return path.join(out, "index.js");
}

export async function startMiniflareApp(script: string, vars: Record<string, string>): Promise<Served & { mf: Miniflare }> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml"));
  const port = await freePort();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...(workerOptions as object),
      modules: [{ type: "ESModule", path: script, contents: readFileSync(script, "utf8") }],
      modulesRoot: path.dirname(script),
      // The gateway's rate limits would refuse a load generator's one address; a bench turns them on by name (operability.ts).
      // Guest carts sign their cookie (without a key, adding to a guest cart answers 503).
      bindings: {
        ...(workerOptions.bindings ?? {}),
        RATE_LIMITS: "off",
        CART_COOKIE_KEY: "bench-cart-cookie-key-0123456789abcdef",
        ...vars,
      },
      host: "127.0.0.1",
      port,
    } as V4MiniflareOptions),
  );
  await mf.ready;
  return { url: `http://127.0.0.1:${port}`, stop: () => mf.dispose(), mf };
}

export async function startMiniflareHello(): Promise<Served> {
  const port = await freePort();
  const options = {
    modules: true,
    scriptPath: path.join(ROOT, "scripts/bench/hello-worker.js"),
    compatibilityDate: "2026-11-01",
    host: "127.0.0.1",
    port,
  };
  const mf = new Miniflare(convertV4MiniflareOptions(options as V4MiniflareOptions));
  await mf.ready;
  return { url: `http://127.0.0.1:${port}`, stop: () => mf.dispose() };
}

export async function startWranglerDev(config: string, vars: Record<string, string>): Promise<Served> {
  const port = await freePort();
  const varArgs = Object.entries({ RATE_LIMITS: "off", ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child: ChildProcess = spawn(
    WRANGLER,
    [
      "dev",
      "-c",
      config,
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(await freePort()),
      "--show-interactive-dev-session=false",
      "--log-level",
      "error",
      ...varArgs,
    ],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url + "/api/health/live")).status < 500) break;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill("SIGINT");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
