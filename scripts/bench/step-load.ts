/**
 * The two load models of load.ts over a "step" (one shopper action: a request,
 * or a checkout's two), collecting each answer's own cost counts from its
 * `Server-Timing` header:
 * - closed loop: `connections` clients, each starting its next step when the
 *   previous one ended: the saturation throughput;
 * - open model: steps start at a fixed rate whatever the server does, and
 *   latency counts from each step's scheduled start (no coordinated omission).
 */
import { Agent, request } from "undici";
import { parseServerTiming, type RequestCost } from "../../workers/platform/server-timing.ts";

export interface StepResult {
  ok: boolean;
  requests: number;
  cost: Partial<RequestCost>;
}

/** One shopper action; `i` numbers the steps of a run (to spread them over carts, shoppers or SKUs). */
export type Step = (agent: Agent, i: number) => Promise<StepResult>;

export interface Totals {
  steps: number;
  requests: number;
  errors: number;
  cost: RequestCost;
}

export interface ClosedRun extends Totals {
  stepsPerSecond: number;
}

export interface OpenRun extends Totals {
  rate: number;
  achieved: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const emptyTotals = (): Totals => ({
  steps: 0,
  requests: 0,
  errors: 0,
  cost: { statements: 0, transactions: 0, sessions: 0, objectCalls: 0 },
});

function add(t: Totals, r: StepResult): void {
  t.steps++;
  t.requests += r.requests;
  if (!r.ok) t.errors++;
  for (const k of Object.keys(t.cost) as (keyof RequestCost)[]) t.cost[k] += r.cost[k] ?? 0;
}

/** A step of one request; `ok` when the status is the expected one. */
export function httpStep(
  make: (i: number) => { url: string; method?: string; headers?: Record<string, string>; body?: string },
  expected = 200,
): Step {
  return async (agent, i) => {
    const { url, method, headers, body } = make(i);
    try {
      const res = await request(url, { dispatcher: agent, method: (method ?? "GET") as "GET", headers, body });
      await res.body.dump();
      return { ok: res.statusCode === expected, requests: 1, cost: parseServerTiming(res.headers["server-timing"] as string | undefined) };
    } catch {
      return { ok: false, requests: 1, cost: {} };
    }
  };
}

/** Adds two steps' results, for an action of several requests. */
export function sumResults(a: StepResult, b: StepResult): StepResult {
  const cost: Partial<RequestCost> = {};
  for (const k of ["statements", "transactions", "sessions", "objectCalls"] as const) cost[k] = (a.cost[k] ?? 0) + (b.cost[k] ?? 0);
  return { ok: a.ok && b.ok, requests: a.requests + b.requests, cost };
}

export async function closedRun(step: Step, connections: number, seconds: number, offset = 0): Promise<ClosedRun> {
  const agent = new Agent({ connections, pipelining: 1 });
  const totals = emptyTotals();
  const until = performance.now() + seconds * 1000;
  let n = offset;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) add(totals, await step(agent, n++));
    }),
  );
  await agent.close();
  return { ...totals, stepsPerSecond: round(totals.steps / seconds) };
}

export async function openRun(step: Step, rate: number, seconds: number, offset = 0): Promise<OpenRun> {
  const agent = new Agent({ connections: 256, pipelining: 1 });
  const totals = emptyTotals();
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      step(agent, offset + i).then((r) => {
        latencies.push(performance.now() - scheduled);
        add(totals, r);
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN);
  return { ...totals, rate, achieved: round(total / elapsed), p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) };
}

const round = (n: number) => Math.round(n * 100) / 100;
