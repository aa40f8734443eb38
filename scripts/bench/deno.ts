/**
 * `npx tsx scripts/bench/deno.ts`: the shopper's read paths on both
 * runtimes in one run, each against its own runtime's hello-world: the
 * built Worker on workerd (Miniflare's API, real bindings) and the Deno
 * entry under `deno serve` (Deno KV, files), one Postgres and relay for
 * both. Closed loop (`--connections` clients for `--seconds`) per path;
 * prints actions per second and the ratio to the runtime's hello-world.
 * Checkout (create + confirm) runs through the stock, reservation and order
 * objects: Durable Objects on workerd, the same classes on Deno KV on Deno.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startDenoServer, wranglerVars } from "../local/deno-server.ts";
import { encryptionKeyVar, signingKeysVar } from "../local/identity-keys.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { freePort } from "../local/ports.ts";
import { seed } from "../local/seed-runner.ts";
import { startStack } from "../local/stack.ts";
import { OPS_TOKEN, shoppers, stockedSkus } from "./fixtures.ts";
import { build, type Served, startMiniflareApp, startMiniflareHello } from "./runtime.ts";
import { shopperSteps } from "./shopper-steps.ts";
import { closedRun, httpStep, type Step } from "./step-load.ts";

const { values: args } = parseArgs({
  options: { seconds: { type: "string", default: "5" }, connections: { type: "string", default: "16" } },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const READ_PATHS = ["browse (cached)", "browse (uncached)", "detail (uncached)", "search"];

async function waitUp(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

async function startDenoHello(): Promise<Served> {
  const port = await freePort();
  const bin = path.join(process.cwd(), "node_modules", ".bin", "deno");
  const child = spawn(bin, ["serve", "--host=127.0.0.1", `--port=${port}`, "scripts/bench/hello-deno.ts"], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  await waitUp(url);
  return { url, stop: async () => void child.kill("SIGINT") };
}

async function startDenoApp(vars: Record<string, string>): Promise<Served> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-deno-"));
  const child = startDenoServer({ port, vars, dataDir });
  const url = `http://127.0.0.1:${port}`;
  await waitUp(`${url}/api/health`);
  return { url, stop: async () => void child.kill("SIGINT") };
}

async function rate(step: Step): Promise<{ perSecond: number; errors: number }> {
  await closedRun(step, 4, 1, 1_000_000); // warm-up: compile, connections, caches
  const run = await closedRun(step, CONNECTIONS, SECONDS, 2_000_000);
  return { perSecond: run.stepsPerSecond, errors: run.errors };
}

async function main(): Promise<void> {
  console.log(`bench deno: ${SECONDS}s per path, closed loop with ${CONNECTIONS} clients`);
  const stack = await startStack({ mode: "test" });
  try {
    await migrateDatabase(stack.databaseUrl);
    await seed(stack.databaseUrl, () => undefined, {
      demo: { activeProducts: 300, draftProducts: 0, archivedProducts: 0, customers: 0 },
    });
    const vars = {
      ...wranglerVars(path.join(process.cwd(), "wrangler.toml")),
      ...stack.workerVars,
      APP_ENV: "production",
      LOG_LEVEL: "error",
      OPS_TOKEN,
      JWT_SIGNING_KEYS: signingKeysVar([{ kid: "bench-ed" }]),
      MFA_ENCRYPTION_KEY: encryptionKeyVar(),
      CART_COOKIE_KEY: "bench-cart-cookie-key-0123456789abcdef",
    };
    const runtimes: [string, () => Promise<Served>, () => Promise<Served>][] = [
      ["workerd", startMiniflareHello, () => startMiniflareApp(build(), vars)],
      // Rate limits off, as the Miniflare runner sets them (runtime.ts): they would refuse the load generator's one address.
      ["deno", startDenoHello, () => startDenoApp({ ...vars, RATE_LIMITS: "off" })],
    ];
    for (const [name, startHello, startApp] of runtimes) {
      const hello = await startHello();
      const base = await rate(shopperSteps.hello(hello.url));
      await hello.stop();
      console.log(`  ${name.padEnd(8)} ${"hello-world".padEnd(20)} ${String(base.perSecond).padStart(8)}/s (err ${base.errors})`);
      const app = await startApp();
      try {
        const sample = {
          category: "",
          slug: await firstSlug(app.url),
          terms: ["lantern", "stove", "jacket", "boots"],
          skus: [] as string[],
        };
        const skus = await stockedSkus(app.url, 16);
        const tokens = await shoppers(app.url, 8);
        const steps = shopperSteps.app(app.url, { ...sample, skus, tokens });
        const [hot] = await stockedSkus(app.url, 1);
        const race: Record<string, Step> = { ...steps, "reserve (one SKU)": reserveStep(app.url, hot as string) };
        for (const p of [...READ_PATHS, "add to cart", "checkout", "reserve (one SKU)"]) {
          const r = await rate(race[p] as Step);
          console.log(
            `  ${name.padEnd(8)} ${p.padEnd(20)} ${String(r.perSecond).padStart(8)}/s (err ${r.errors})  x${(r.perSecond / base.perSecond).toFixed(3)} of hello-world`,
          );
        }
        console.log(`  ${name.padEnd(8)} ${"sell-out".padEnd(20)} ${await sellOut(app.url)}`);
      } finally {
        await app.stop();
      }
    }
  } finally {
    await stack.stop();
  }
}

/** One unit of one SKU held per call (a new reservation each): every call writes the same stock object. */
function reserveStep(base: string, sku: string): Step {
  return httpStep(
    () => ({
      url: `${base}/api/inventory/reserve`,
      method: "POST",
      headers: { authorization: `Bearer ${OPS_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ lines: [{ sku, quantity: 1 }], ttlSeconds: 600 }),
    }),
    201,
  );
}

/** 400 one-unit holds racing (32 at a time) for 200 units: exactly 200 must be held, and the level must say so. */
async function sellOut(base: string): Promise<string> {
  const [sku] = await stockedSkus(base, 1, 200);
  const step = reserveStep(base, sku as string);
  const { Agent } = await import("undici");
  const agent = new Agent({ connections: 32 });
  let next = 0;
  let held = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < 400) if ((await step(agent, next++)).ok) held++;
    }),
  );
  await agent.close();
  const level = (await (await fetch(`${base}/api/inventory/${sku}`)).json()) as { reserved: number; available: number };
  const exact = held === 200 && level.reserved === 200 && level.available === 0;
  return `${held} of 400 racing holds taken for 200 units; level reserved ${level.reserved}, available ${level.available}: ${exact ? "0 oversold" : "MISMATCH"}`;
}

async function firstSlug(base: string): Promise<string> {
  const res = await fetch(`${base}/api/products?limit=1`);
  const body = (await res.json()) as { items: { slug: string }[] };
  return body.items[0]?.slug ?? "none";
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
