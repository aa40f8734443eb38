/**
 * The full app under sign-in load for the identity benchmark (auth.ts): the
 * built Worker with Postgres, the throttling Durable Objects and the outbox,
 * at a given password-hashing cost; with the production cost, also the cost
 * of verifying a bearer token at the gateway.
 */
import { type Account, loginLoop, loginOpen } from "./auth-login-load.ts";
import { closedLoop } from "./load.ts";
import { cpuMs, newPids, pidsOf, round, WORKERD } from "./measure.ts";
import { startMiniflareApp } from "./runtime.ts";

/** The run's options: seconds per measurement, sign-in connections, open-model sign-ins per second. */
export interface RunSettings {
  seconds: number;
  connections: number;
  rate: number;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** Sign-ins per second and CPU per sign-in at `iterations` PBKDF2 iterations, one account and address per connection. */
export async function measureApp(
  label: string,
  script: string,
  baseVars: Record<string, string>,
  iterations: string,
  hello: { rps: number; cpuMsPerRequest: number },
  postgres: number[],
  settings: RunSettings,
) {
  const helloRps = hello.rps;
  const before = pidsOf(WORKERD);
  const app = await startMiniflareApp(script, { ...baseVars, PASSWORD_ITERATIONS: iterations });
  const workerd = newPids(before, WORKERD);
  try {
    const accounts: Account[] = [];
    for (let i = 0; i < settings.connections; i++) {
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
          const run = await closedLoop(live, 32, settings.seconds, kind === "withToken" ? auth : {});
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
    const closed = await loginLoop(`${app.url}/api/auth/login`, accounts, settings.seconds);
    // The work a sign-in sets off after its answer (outbox relay, queue consumers) is part of its cost.
    await new Promise((r) => setTimeout(r, 3000));
    const cpu = {
      workerdMs: round((cpuMs(workerd) - cpu0.workerd) / closed.requests, 1),
      postgresMs: round((cpuMs(postgres) - cpu0.postgres) / closed.requests, 1),
    };
    const open = await loginOpen(`${app.url}/api/auth/login`, accounts, settings.rate, settings.seconds);
    console.log(
      `  ${label.padEnd(40)} closed ${String(closed.rps).padStart(6)} rps (x${(closed.rps / helloRps).toFixed(4)} hello, mean ${closed.meanMs} ms, statuses ${JSON.stringify(closed.statuses)})  open@${settings.rate}/s p50 ${open.p50} ms p90 ${open.p90} ms p99 ${open.p99} ms (errors ${open.errors})`,
    );
    console.log(
      `  ${"".padEnd(40)} CPU per sign-in: workerd ${cpu.workerdMs} ms (x${Math.round(cpu.workerdMs / hello.cpuMsPerRequest)} a hello-world request), Postgres ${cpu.postgresMs} ms`,
    );
    return { label, iterations, closed, open, gateway, cpu };
  } finally {
    await app.stop();
  }
}
