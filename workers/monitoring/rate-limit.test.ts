import { describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import { clientIp, registerAndLogin } from "../../test/helpers/identity.ts";
import { FAMILIES } from "../families.ts";
import { createApp } from "../platform/app.ts";
import { jobRegistry } from "../platform/job.ts";
import type { OperabilityPort, Runtime } from "../platform/runtime.ts";

/** The Worker's gateway with rate limits on and small budgets, as an environment would configure them. */
function gateway(budgets: Record<string, unknown>, operability?: OperabilityPort) {
  const app = createApp({ families: FAMILIES, relay: () => {}, jobs: jobRegistry([]) });
  const rt: Runtime = Object.create(testEnv, {
    vars: { value: { ...testEnv.vars, RATE_LIMITS: "on", RATE_LIMIT_BUDGETS: JSON.stringify(budgets) } },
    operability: { value: operability ?? { coarseLimiter: () => undefined, metricsDataset: () => undefined } },
  });
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  return (path: string, init: RequestInit = {}) => app.fetch(new Request(`https://api.test${path}`, init), rt, ctx);
}

type Problem = { code: string; status: number; routeClass?: string; retryAfterSeconds?: number };

describe("gateway rate limits", () => {
  it("admits exactly K of N racing checkout requests against a budget of K", async () => {
    const call = gateway({ checkout: { limit: 7 } });
    const ip = clientIp();
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => call("/api/orders", { method: "POST", headers: { "cf-connecting-ip": ip } })),
    );
    const statuses = answers.map((r) => r.status);
    // Admitted requests reach the route (which wants a signed-in user); the rest are refused before it.
    expect(statuses.filter((s) => s !== 429)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(33);
    expect(new Set(statuses.filter((s) => s !== 429))).toEqual(new Set([401]));
    const remaining = answers.filter((r) => r.status !== 429).map((r) => Number(/r=(\d+)/.exec(r.headers.get("ratelimit")!)![1]));
    expect(remaining.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("refuses with a 429 problem, Retry-After and the draft's fields, per class", async () => {
    const call = gateway({ browse: { limit: 2 }, search: { limit: 1, windowSeconds: 10 } });
    const headers = { "cf-connecting-ip": clientIp() };
    const first = await call("/api/health/live", { headers });
    expect(first.headers.get("ratelimit-policy")).toBeNull();
    const ok = await call("/api/products?limit=1", { headers });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-policy")).toBe('"browse";q=2;w=60');
    expect(ok.headers.get("ratelimit")).toMatch(/^"browse";r=1;t=(60|59)$/);
    expect((await call("/api/products?limit=1", { headers })).status).toBe(200);
    const refused = await call("/api/products?limit=1", { headers });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit")).toMatch(/^"browse";r=0;t=\d+$/);
    expect(await refused.json()).toMatchObject({ code: "RATE_LIMITED", status: 429, routeClass: "browse" } satisfies Partial<Problem>);
    // Another class has its own budget; health probes are never counted.
    const search = await call("/api/search?q=shirt", { headers });
    expect(search.status).not.toBe(429);
    expect(search.headers.get("ratelimit-policy")).toBe('"search";q=1;w=10');
    expect((await call("/api/search?q=shirt", { headers })).status).toBe(429);
    expect((await call("/api/health/live", { headers })).status).toBe(200);
  });

  it("counts anonymous callers per address and signed-in callers per user, across addresses", async () => {
    const call = gateway({ browse: { limit: 1 } });
    const [a, b] = [clientIp(), clientIp()];
    expect((await call("/api/products?limit=1", { headers: { "cf-connecting-ip": a } })).status).toBe(200);
    expect((await call("/api/products?limit=1", { headers: { "cf-connecting-ip": a } })).status).toBe(429);
    expect((await call("/api/products?limit=1", { headers: { "cf-connecting-ip": b } })).status).toBe(200);

    const user = await registerAndLogin();
    const signedIn = (ip: string) => ({ headers: { "cf-connecting-ip": ip, authorization: `Bearer ${user.accessToken}` } });
    expect((await call("/api/products?limit=1", signedIn(clientIp()))).status).toBe(200);
    expect((await call("/api/products?limit=1", signedIn(clientIp()))).status).toBe(429);
  });

  it("asks the runtime's coarse limiter for coarse classes, and its refusal is the same 429", async () => {
    const asked: string[] = [];
    const call = gateway(
      {},
      {
        coarseLimiter: (name) => ({
          limit: async ({ key }) => {
            asked.push(`${name} ${key}`);
            return { success: false };
          },
        }),
        metricsDataset: () => undefined,
      },
    );
    const ip = clientIp();
    const refused = await call("/api/products?limit=1", { headers: { "cf-connecting-ip": ip } });
    expect(refused.status).toBe(429);
    expect(asked).toEqual([`RL_BROWSE addr:${ip}`]);
    expect(refused.headers.get("ratelimit-policy")).toBe('"browse";q=600;w=60');
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // The deployment's binding is there, and admits a first request.
    const bound = testEnv.operability?.coarseLimiter("RL_BROWSE");
    expect(bound).toBeDefined();
    expect((await bound!.limit({ key: `probe-${crypto.randomUUID()}` })).success).toBe(true);
  });
});
