/**
 * `npx tsx scripts/bench/revocation.ts`: what the access-token revocation
 * check (workers/identity/token-status.ts) costs per request.
 *
 * One run, one machine, the built Worker with Postgres: a hello-world Worker
 * as the baseline, then GET /api/health/live (no database of its own)
 * without a token, with a user's access token as configured (the check's
 * answer kept REVOCATION_CHECK_TTL_MS = 5 s per session and isolate), and
 * with the check asking the database on every request
 * (REVOCATION_CHECK_TTL_MS = 0, the worst case). Each variant: closed-loop
 * requests per second, the ratio to hello-world, and CPU milliseconds of
 * workerd and Postgres per request (Linux /proc, so other load on a shared
 * machine inflates wall clock more than CPU).
 *
 * Options: --seconds N (default 6), --connections N (default 16).
 */
import { parseArgs } from "node:util";
import { encryptionKeyVar, signingKeysVar } from "../local/identity-keys.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { closedLoop } from "./load.ts";
import { cpuMs, newPids, POSTMASTER, pidsOf, round, WORKERD } from "./measure.ts";
import { build, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: { seconds: { type: "string", default: "6" }, connections: { type: "string", default: "16" } },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

interface Figure {
  variant: string;
  rps: number;
  errors: number;
  workerdCpuMs: number;
  postgresCpuMs: number;
}

async function measure(
  variant: string,
  url: string,
  headers: Record<string, string>,
  workerd: number[],
  postgres: number[],
): Promise<Figure> {
  await closedLoop(url, 4, 1, headers);
  const c0 = { w: cpuMs(workerd), p: cpuMs(postgres) };
  const run = await closedLoop(url, CONNECTIONS, SECONDS, headers);
  return {
    variant,
    rps: run.rps,
    errors: run.errors,
    workerdCpuMs: round((cpuMs(workerd) - c0.w) / run.requests, 3),
    postgresCpuMs: round((cpuMs(postgres) - c0.p) / run.requests, 3),
  };
}

async function main(): Promise<void> {
  console.log(`bench revocation: ${SECONDS}s per measurement, ${CONNECTIONS} connections`);
  const beforeStack = pidsOf(POSTMASTER);
  const stack = await startStack({ mode: "test" });
  const postgres = newPids(beforeStack, POSTMASTER);
  const figures: Figure[] = [];
  try {
    await migrateDatabase(stack.databaseUrl);
    const beforeHello = pidsOf(WORKERD);
    const hello = await startMiniflareHello();
    figures.push(await measure("hello-world Worker", `${hello.url}/`, {}, newPids(beforeHello, WORKERD), postgres));
    await hello.stop();

    const script = build();
    const base = {
      ...stack.workerVars,
      APP_ENV: "production",
      LOG_LEVEL: "warn",
      JWT_SIGNING_KEYS: signingKeysVar([{ kid: "bench-ed" }]),
      MFA_ENCRYPTION_KEY: encryptionKeyVar(),
      PASSWORD_ITERATIONS: "1000",
      CART_COOKIE_KEY: "bench-cart-cookie-key-0123456789abcdef",
      PII_HASH_KEY: "bench-pii-hash-key-0123456789abcdef-0123",
    };
    for (const ttl of ["5000", "0"]) {
      const before = pidsOf(WORKERD);
      const app = await startMiniflareApp(script, { ...base, REVOCATION_CHECK_TTL_MS: ttl });
      const workerd = newPids(before, WORKERD);
      try {
        const account = { email: `bench-${Date.now()}@bench.example`, password: "tangerine-oxygen-velvet-ladder", name: "Bench" };
        const registered = await post(`${app.url}/api/users/register`, account, { "cf-connecting-ip": "198.18.0.1" });
        if (registered.status !== 201) throw new Error(`registration failed: ${registered.status} ${JSON.stringify(registered.body)}`);
        const signedIn = await post(
          `${app.url}/api/auth/login`,
          { email: account.email, password: account.password },
          { "cf-connecting-ip": "198.18.0.2" },
        );
        if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
        const token = (signedIn.body as { accessToken: string }).accessToken;
        const live = `${app.url}/api/health/live`;
        const probe = await fetch(live, { headers: { authorization: `Bearer ${token}` } });
        if (probe.status !== 200) throw new Error(`the token is refused: ${probe.status} ${await probe.text()}`);
        if (ttl === "5000") figures.push(await measure("app, no token", live, {}, workerd, postgres));
        const label = ttl === "0" ? "app, token, check every request (TTL 0)" : "app, token, check cached 5 s (default)";
        figures.push(await measure(label, live, { authorization: `Bearer ${token}` }, workerd, postgres));
      } finally {
        await app.stop();
      }
    }
  } finally {
    await stack.stop();
  }
  const hello = figures[0]!.rps;
  for (const f of figures)
    console.log(
      `  ${f.variant.padEnd(44)} ${String(f.rps).padStart(7)} rps (x${(f.rps / hello).toFixed(3)} hello, errors ${f.errors})  CPU per request: workerd ${f.workerdCpuMs} ms, postgres ${f.postgresCpuMs} ms`,
    );
  const noToken = figures.find((f) => f.variant === "app, no token")!;
  for (const f of figures.slice(2))
    console.log(`  ${f.variant}: ${round(f.workerdCpuMs - noToken.workerdCpuMs, 3)} ms workerd CPU per request more than no token`);
  console.log(JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, figures }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
