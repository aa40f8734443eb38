/**
 * `npx tsx scripts/bench/auth.ts`: the identity figures.
 *
 * 1. CPU milliseconds inside workerd per password verification (the
 *    production policy, 600,000 PBKDF2-SHA256 iterations in six calls, and a
 *    single 100,000-iteration call for comparison) and per access-token
 *    verification (EdDSA and ES256), from a probe Worker that runs the
 *    production functions back to back; the per-operation wall time seen from
 *    outside is printed beside it as a cross-check.
 * 2. Sign-ins per second (POST /api/auth/login, the full app with Postgres,
 *    the throttling Durable Objects and the outbox) against a hello-world
 *    Worker on the same runtime in the same run, and the cost of verifying a
 *    bearer token at the gateway (/api/health/live with and without one).
 *
 * CPU figures are the CPU time of the workerd (and Postgres) processes per
 * operation, read from Linux's /proc, so other load on a shared machine does
 * not inflate them the way it inflates wall-clock figures; the wall-clock
 * ones are printed beside them. Linux only.
 *
 * Options: --seconds N (default 8), --connections N (default 16), --rate N
 * (open-model sign-ins per second, default 5).
 */
import { parseArgs } from "node:util";
import { encryptionKeyVar, signingKeysVar } from "../local/identity-keys.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { measureApp } from "./auth-app.ts";
import { type PerOp, perOperation, startProbe } from "./auth-probe.ts";
import { closedLoop } from "./load.ts";
import { cpuMs, newPids, POSTMASTER, pidsOf, round, WORKERD } from "./measure.ts";
import { build, startMiniflareHello } from "./runtime.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    connections: { type: "string", default: "16" },
    rate: { type: "string", default: "5" },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const RATE = Number(args.rate);

async function main(): Promise<void> {
  console.log(
    `bench auth: ${SECONDS}s per measurement, ${CONNECTIONS} sign-in connections (one account and address each), open model at ${RATE} sign-ins/s`,
  );

  console.log(
    "inside workerd (probe Worker, production functions, back to back on one isolate; CPU time of its workerd process per operation):",
  );
  const probe = await startProbe();
  const figures: Record<string, PerOp> = {};
  try {
    figures["password verify, 600,000 iterations (6 x 100,000)"] = await perOperation(`${probe.url}/hash?total=600000`, 30, probe.pids);
    figures["password verify, 100,000 iterations (1 call)"] = await perOperation(`${probe.url}/hash?total=100000`, 150, probe.pids);
    figures["access token verify, EdDSA (Ed25519)"] = await perOperation(`${probe.url}/verify?alg=EdDSA`, 20000, probe.pids);
    figures["access token verify, ES256 (P-256)"] = await perOperation(`${probe.url}/verify?alg=ES256`, 20000, probe.pids);
  } finally {
    await probe.stop();
  }
  for (const [name, f] of Object.entries(figures))
    console.log(
      `  ${name.padEnd(52)} CPU ${String(f.cpuMs).padStart(8)} ms   (wall: ${f.insideMs} ms inside, ${f.outsideMs} ms from outside)`,
    );

  const beforeStack = pidsOf(POSTMASTER);
  const stack = await startStack({ mode: "test" });
  const postgres = newPids(beforeStack, POSTMASTER);
  try {
    await migrateDatabase(stack.databaseUrl);
    console.log("\nworkerd through Miniflare's API:");
    const beforeHello = pidsOf(WORKERD);
    const hello = await startMiniflareHello();
    const helloPids = newPids(beforeHello, WORKERD);
    await closedLoop(hello.url + "/", 4, 1);
    const helloCpu0 = cpuMs(helloPids);
    const helloRun = await closedLoop(hello.url + "/", 32, SECONDS);
    const helloCpuMs = round((cpuMs(helloPids) - helloCpu0) / helloRun.requests, 3);
    await hello.stop();
    console.log(
      `  hello-world Worker (baseline)             closed ${String(helloRun.rps).padStart(6)} rps, CPU per request ${helloCpuMs} ms`,
    );

    const vars = {
      ...stack.workerVars,
      APP_ENV: "production",
      LOG_LEVEL: "warn",
      JWT_SIGNING_KEYS: signingKeysVar([{ kid: "bench-ed" }]),
      MFA_ENCRYPTION_KEY: encryptionKeyVar(),
    };
    const script = build();
    const baseline = { rps: helloRun.rps, cpuMsPerRequest: helloCpuMs };
    const settings = { seconds: SECONDS, connections: CONNECTIONS, rate: RATE };
    const production = await measureApp("POST /api/auth/login (600,000 it.)", script, vars, "600000", baseline, postgres, settings);
    const lighter = await measureApp("POST /api/auth/login (100,000 it.)", script, vars, "100000", baseline, postgres, settings);
    console.log(
      "\n" +
        JSON.stringify({
          seconds: SECONDS,
          connections: CONNECTIONS,
          rate: RATE,
          inside: figures,
          hello: { ...helloRun, cpuMsPerRequest: helloCpuMs },
          login: [production, lighter],
        }),
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
