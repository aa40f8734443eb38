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
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { Agent, request } from "undici";
import { encryptionKeyVar, signingKeysVar } from "../local/identity-keys.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { freePort } from "../local/ports.ts";
import { startStack } from "../local/stack.ts";
import { type ClosedResult, closedLoop } from "./load.ts";
import { build, ROOT, startMiniflareApp, startMiniflareHello } from "./runtime.ts";

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
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * CPU time of processes, from Linux's /proc: what a request costs the
 * machine whatever else is running on it (wall-clock figures on a shared
 * machine are noise). A process's figure includes its exited children
 * (Postgres backends), plus the children still alive.
 */
function processes(): { pid: number; ppid: number; cmd: string }[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return [{ pid: Number(d), ppid, cmd: readFileSync(`/proc/${d}/cmdline`, "utf8").replaceAll("\0", " ") }];
      } catch {
        return [];
      }
    });
}

function cpuTicks(pid: number, withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 here, after pid and comm are cut off.
    return Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
  } catch {
    return 0;
  }
}

/** Milliseconds of CPU used so far by the given process trees. */
function cpuMs(roots: number[]): number {
  const all = processes();
  let ticks = 0;
  for (const root of roots)
    ticks += cpuTicks(root, true) + all.filter((p) => p.ppid === root).reduce((sum, p) => sum + cpuTicks(p.pid, false), 0);
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Our own children only: other programs on the machine may start workerd or Postgres at the same time. */
const pidsOf = (pattern: RegExp) =>
  new Set(
    processes()
      .filter((p) => p.ppid === process.pid && pattern.test(p.cmd))
      .map((p) => p.pid),
  );
function newPids(before: Set<number>, pattern: RegExp): number[] {
  const pids = [...pidsOf(pattern)].filter((p) => !before.has(p));
  if (pids.length === 0) throw new Error(`no new child process matching ${pattern}: CPU figures need Linux's /proc`);
  return pids;
}
const WORKERD = /workerd serve/;
/** The postmaster, started with its data directory; backends are its children. */
const POSTMASTER = /postgres -D /;

function buildProbe(): string {
  const out = mkdtempSync(path.join(tmpdir(), "edge-commerce-bench-auth-"));
  execFileSync(
    path.join(ROOT, "node_modules", ".bin", "wrangler"),
    ["deploy", "--dry-run", "--outdir", out, "-c", path.join(ROOT, "scripts/bench/auth-probe.wrangler.toml")],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const js = readdirSync(out).find((f) => f.endsWith(".js"));
  if (!js) throw new Error(`no bundle in ${out}`);
  return path.join(out, js);
}

async function startProbe(): Promise<{ url: string; pids: number[]; stop: () => Promise<void> }> {
  const script = buildProbe();
  const port = await freePort();
  const before = pidsOf(WORKERD);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: [{ type: "ESModule", path: script, contents: readFileSync(script, "utf8") }],
      modulesRoot: path.dirname(script),
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { KEYS_EdDSA: signingKeysVar([{ kid: "probe-ed" }]), KEYS_ES256: signingKeysVar([{ kid: "probe-es", alg: "ES256" }]) },
      host: "127.0.0.1",
      port,
    } as V4MiniflareOptions),
  );
  await mf.ready;
  return { url: `http://127.0.0.1:${port}`, pids: newPids(before, WORKERD), stop: () => mf.dispose() };
}

interface PerOp {
  /** CPU time of the probe's workerd process per operation: unaffected by other load on the machine. */
  cpuMs: number;
  /** performance.now() around the loop inside the Worker. */
  insideMs: number;
  outsideMs: number;
}

/** Per-operation time: inside workerd (performance.now around the loop), and outside (wall time of n runs minus one run of 0). */
async function perOperation(url: string, n: number, pids: number[]): Promise<PerOp> {
  const call = async (count: number) => {
    const t0 = performance.now();
    const body = (await (await fetch(`${url}&n=${count}`)).json()) as { ms: number };
    return { inside: body.ms, wall: performance.now() - t0 };
  };
  await call(2); // warm-up: compile, import keys
  const empty = await call(0);
  const cpu0 = cpuMs(pids);
  const full = await call(n);
  const cpu = cpuMs(pids) - cpu0;
  return { cpuMs: round(cpu / n, 3), insideMs: round(full.inside / n, 3), outsideMs: round((full.wall - empty.wall) / n, 3) };
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

interface Account {
  email: string;
  password: string;
  ip: string;
}

/** Closed loop of sign-ins: each connection signs in as its own account from its own address. */
async function loginLoop(url: string, accounts: Account[], seconds: number): Promise<ClosedResult & { statuses: Record<number, number> }> {
  const agent = new Agent({ connections: accounts.length, pipelining: 1 });
  const until = performance.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  let totalMs = 0;
  const statuses: Record<number, number> = {};
  await Promise.all(
    accounts.map(async (a) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        requests++;
        try {
          const res = await request(url, {
            method: "POST",
            dispatcher: agent,
            headers: { "content-type": "application/json", "cf-connecting-ip": a.ip },
            body: JSON.stringify({ email: a.email, password: a.password }),
          });
          await res.body.dump();
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 400) errors++;
        } catch {
          errors++;
        }
        totalMs += performance.now() - t0;
      }
    }),
  );
  await agent.close();
  return {
    model: "closed",
    connections: accounts.length,
    seconds,
    requests,
    errors,
    rps: round(requests / seconds, 1),
    meanMs: round(totalMs / Math.max(1, requests)),
    statuses,
  };
}

/** Open model of sign-ins at a fixed rate; latency from each request's scheduled time. */
async function loginOpen(url: string, accounts: Account[], rate: number, seconds: number) {
  const agent = new Agent({ connections: 64, pipelining: 1 });
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const a = accounts[i % accounts.length]!;
    inflight.push(
      request(url, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/json", "cf-connecting-ip": `198.19.${Math.floor(i / 250) % 250}.${(i % 250) + 1}` },
        body: JSON.stringify({ email: a.email, password: a.password }),
      })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode >= 400) errors++;
        })
        .catch(() => void errors++)
        .finally(() => void latencies.push(performance.now() - scheduled)),
    );
  }
  await Promise.all(inflight);
  await agent.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN, 1);
  return { rate, sent: total, errors, p50: q(0.5), p90: q(0.9), p99: q(0.99) };
}

async function measureApp(
  label: string,
  script: string,
  baseVars: Record<string, string>,
  iterations: string,
  hello: { rps: number; cpuMsPerRequest: number },
  postgres: number[],
) {
  const helloRps = hello.rps;
  const before = pidsOf(WORKERD);
  const app = await startMiniflareApp(script, { ...baseVars, PASSWORD_ITERATIONS: iterations });
  const workerd = newPids(before, WORKERD);
  try {
    const accounts: Account[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const account = {
        email: `bench-${Date.now()}-${i}@bench.example`,
        password: `tangerine-${i}-oxygen-velvet`,
        ip: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      };
      const res = await postJson(`${app.url}/api/users/register`, { email: account.email, password: account.password, name: `Bench ${i}` });
      if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
      accounts.push(account);
    }
    let gateway: { without: number; withToken: number; extraMsPerRequest: number } | undefined;
    if (iterations === "600000") {
      // First, while nothing else runs: the gateway with and without a bearer token to verify, alternated, best of two each.
      await new Promise((r) => setTimeout(r, 2000));
      const login = await postJson(
        `${app.url}/api/auth/login`,
        { email: accounts[0]!.email, password: accounts[0]!.password },
        { "cf-connecting-ip": "198.18.200.1" },
      );
      const auth = { authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
      const live = `${app.url}/api/health/live`;
      await closedLoop(live, 4, 1, auth);
      let without = 0;
      let withToken = 0;
      const cpuPer = { without: Infinity, withToken: Infinity };
      for (let i = 0; i < 2; i++) {
        for (const kind of ["without", "withToken"] as const) {
          const c0 = cpuMs(workerd);
          const run = await closedLoop(live, 32, SECONDS, kind === "withToken" ? auth : {});
          cpuPer[kind] = Math.min(cpuPer[kind], (cpuMs(workerd) - c0) / run.requests);
          if (kind === "without") without = Math.max(without, run.rps);
          else withToken = Math.max(withToken, run.rps);
        }
      }
      gateway = { without, withToken, extraMsPerRequest: round(cpuPer.withToken - cpuPer.without, 3) };
      console.log(
        `  GET /api/health/live without a token      closed ${String(without).padStart(6)} rps (x${(without / helloRps).toFixed(3)} hello), CPU per request ${round(cpuPer.without, 3)} ms`,
      );
      console.log(
        `  GET /api/health/live with an access token closed ${String(withToken).padStart(6)} rps (x${(withToken / helloRps).toFixed(3)} hello), CPU per request ${round(cpuPer.withToken, 3)} ms: the token costs ${gateway.extraMsPerRequest} ms`,
      );
    }
    await loginLoop(`${app.url}/api/auth/login`, accounts.slice(0, 2), 1); // warm-up
    await new Promise((r) => setTimeout(r, 2000));
    const cpu0 = { workerd: cpuMs(workerd), postgres: cpuMs(postgres) };
    const closed = await loginLoop(`${app.url}/api/auth/login`, accounts, SECONDS);
    // The work a sign-in sets off after its answer (outbox relay, queue consumers) is part of its cost.
    await new Promise((r) => setTimeout(r, 3000));
    const cpu = {
      workerdMs: round((cpuMs(workerd) - cpu0.workerd) / closed.requests, 1),
      postgresMs: round((cpuMs(postgres) - cpu0.postgres) / closed.requests, 1),
    };
    const open = await loginOpen(`${app.url}/api/auth/login`, accounts, RATE, SECONDS);
    console.log(
      `  ${label.padEnd(40)} closed ${String(closed.rps).padStart(6)} rps (x${(closed.rps / helloRps).toFixed(4)} hello, mean ${closed.meanMs} ms, statuses ${JSON.stringify(closed.statuses)})  open@${RATE}/s p50 ${open.p50} ms p90 ${open.p90} ms p99 ${open.p99} ms (errors ${open.errors})`,
    );
    console.log(
      `  ${"".padEnd(40)} CPU per sign-in: workerd ${cpu.workerdMs} ms (x${Math.round(cpu.workerdMs / hello.cpuMsPerRequest)} a hello-world request), Postgres ${cpu.postgresMs} ms`,
    );
    return { label, iterations, closed, open, gateway, cpu };
  } finally {
    await app.stop();
  }
}

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
    const production = await measureApp("POST /api/auth/login (600,000 it.)", script, vars, "600000", baseline, postgres);
    const lighter = await measureApp("POST /api/auth/login (100,000 it.)", script, vars, "100000", baseline, postgres);
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
