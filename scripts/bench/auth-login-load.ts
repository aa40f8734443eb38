/** Sign-in load for the identity benchmark (auth.ts): a closed loop and an open model of POST /api/auth/login. */
import { Agent, request } from "undici";
import type { ClosedResult } from "./load.ts";
import { round } from "./measure.ts";

export interface Account {
  email: string;
  password: string;
  ip: string;
}

/** Closed loop of sign-ins: each connection signs in as its own account from its own address. */
export async function loginLoop(
  url: string,
  accounts: Account[],
  seconds: number,
): Promise<ClosedResult & { statuses: Record<number, number> }> {
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
export async function loginOpen(url: string, accounts: Account[], rate: number, seconds: number) {
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
