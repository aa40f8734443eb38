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
  /** What a step that was not ok got instead (e.g. "confirm 202", "503", "no answer"), counted in `failures`. */
  failure?: string;
}

/** One shopper action; `i` numbers the steps of a run (to spread them over carts, shoppers or SKUs). */
export type Step = (agent: Agent, i: number) => Promise<StepResult>;

export interface Totals {
  steps: number;
  requests: number;
  errors: number;
  /** The errors by what was answered instead. */
  failures: Record<string, number>;
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
  failures: {},
  cost: { statements: 0, transactions: 0, sessions: 0, objectCalls: 0 },
});

function add(t: Totals, r: StepResult): void {
  t.steps++;
  t.requests += r.requests;
  if (!r.ok) {
    t.errors++;
    const failure = r.failure ?? "failed";
    t.failures[failure] = (t.failures[failure] ?? 0) + 1;
  }
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
      return statusResult(res.statusCode, expected, 1, res.headers["server-timing"]);
    } catch {
      return NO_ANSWER;
    }
  };
}

/** "0", or the count of errors with what was answered instead: "3 (confirm 202 ×2, create 409 ×1)". */
export function errorsOf(t: Totals): string {
  if (t.errors === 0) return "0";
  const kinds = Object.entries(t.failures).sort(([, a], [, b]) => b - a);
  return `${t.errors} (${kinds.map(([k, n]) => `${k} ×${n}`).join(", ")})`;
}

/** A step whose request got no answer (connection refused or reset, or a body that did not parse). */
export const NO_ANSWER: StepResult = { ok: false, requests: 1, cost: {}, failure: "no answer" };

/** A request's result: ok when `status` is `expected`, otherwise a failure named by the status (and `label`). */
export function statusResult(
  status: number,
  expected: number,
  requests: number,
  serverTiming: string | string[] | undefined,
  label?: string,
): StepResult {
  const cost = parseServerTiming(serverTiming as string | undefined);
  if (status === expected) return { ok: true, requests, cost };
  return { ok: false, requests, cost, failure: label ? `${label} ${status}` : String(status) };
}

/** Adds two steps' results, for an action of several requests. */
export function sumResults(a: StepResult, b: StepResult): StepResult {
  const cost: Partial<RequestCost> = {};
  for (const k of ["statements", "transactions", "sessions", "objectCalls"] as const) cost[k] = (a.cost[k] ?? 0) + (b.cost[k] ?? 0);
  const failure = a.failure ?? b.failure;
  return { ok: a.ok && b.ok, requests: a.requests + b.requests, cost, ...(failure ? { failure } : {}) };
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
