/**
 * Two load models against one URL:
 * - closed loop: `connections` clients each send the next request when the
 *   previous answered; gives the saturation throughput;
 * - open model: requests leave at a fixed rate whatever the server does;
 *   latency is measured from each request's scheduled time, so a stalled
 *   server shows up in the percentiles (no coordinated omission).
 */
import { Agent, request } from "undici";

export interface ClosedResult {
  model: "closed";
  connections: number;
  seconds: number;
  requests: number;
  errors: number;
  rps: number;
  meanMs: number;
}

export interface OpenResult {
  model: "open";
  targetRps: number;
  seconds: number;
  sent: number;
  errors: number;
  achievedRps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

async function hit(agent: Agent, url: string, headers: Record<string, string>): Promise<boolean> {
  try {
    const res = await request(url, { dispatcher: agent, headers });
    await res.body.dump();
    return res.statusCode < 400;
  } catch {
    return false;
  }
}

export async function closedLoop(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<ClosedResult> {
  const agent = new Agent({ connections, pipelining: 1 });
  const until = performance.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  let totalMs = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const ok = await hit(agent, url, headers);
        totalMs += performance.now() - t0;
        requests++;
        if (!ok) errors++;
      }
    }),
  );
  await agent.close();
  return {
    model: "closed",
    connections,
    seconds,
    requests,
    errors,
    rps: Math.round(requests / seconds),
    meanMs: round(totalMs / Math.max(1, requests)),
  };
}

/** `url` may be a function of the request's number, to spread requests over many URLs (cache misses). */
export async function openModel(
  url: string | ((i: number) => string),
  rps: number,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<OpenResult> {
  const agent = new Agent({ connections: 256, pipelining: 1 });
  const total = Math.round(rps * seconds);
  const intervalMs = 1000 / rps;
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + i * intervalMs;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      hit(agent, typeof url === "string" ? url : url(i), headers).then((ok) => {
        latencies.push(performance.now() - scheduled);
        if (!ok) errors++;
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN);
  return {
    model: "open",
    targetRps: rps,
    seconds,
    sent: total,
    errors,
    achievedRps: Math.round(total / elapsed),
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: round(latencies[latencies.length - 1] ?? NaN),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
