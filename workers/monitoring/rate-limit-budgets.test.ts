import { describe, expect, it } from "vitest";
import {
  BUDGETS,
  callerKey,
  callerLimit,
  ROUTE_CLASSES,
  rateLimitHeaders,
  routeClassOf,
  secondsToAlignedReset,
} from "./rate-limit-budgets.ts";

describe("route classes", () => {
  it("puts every route family in its class, and exempts health probes and signed webhooks", () => {
    const cases: Array<[string, string, string | null]> = [
      ["GET", "/api/products", "browse"],
      ["GET", "/api/products/sku-1", "browse"],
      ["GET", "/api/orders", "browse"],
      ["GET", "/api/search", "search"],
      ["GET", "/api/search/suggest", "search"],
      ["GET", "/api/cart", "cart"],
      ["POST", "/api/cart/items", "cart"],
      ["POST", "/api/reviews", "cart"],
      ["POST", "/api/orders", "checkout"],
      ["POST", "/api/orders/ord_1/confirm", "checkout"],
      ["POST", "/api/payments", "checkout"],
      ["POST", "/api/orders/ord_1/cancel", "cart"],
      ["POST", "/api/auth/login", "auth"],
      ["POST", "/api/users/register", "auth"],
      ["POST", "/api/users/forgot-password", "auth"],
      ["GET", "/api/users/me", "browse"],
      ["GET", "/api/metrics", "admin"],
      ["POST", "/api/scheduler/jobs/x/run", "admin"],
      ["GET", "/api/analytics/sales", "admin"],
      ["GET", "/api/health", null],
      ["GET", "/api/health/live", null],
      ["POST", "/api/payments/webhooks/stripe", null],
      ["POST", "/api/delivery/webhooks/sandbox", null],
      ["OPTIONS", "/api/products", null],
    ];
    for (const [method, path, expected] of cases) expect(routeClassOf(method, path), `${method} ${path}`).toBe(expected);
  });

  it("declares a budget for each class, exact where money moves", () => {
    expect(Object.keys(BUDGETS).sort()).toEqual([...ROUTE_CLASSES].sort());
    expect(BUDGETS.checkout.exact).toBe(true);
    for (const c of ROUTE_CLASSES) expect([10, 60]).toContain(BUDGETS[c].windowSeconds);
  });

  it("counts a signed-in caller by user or key and scales staff budgets; anonymous callers by address", () => {
    const customer = { id: "usr_1", kind: "user" as const, roles: ["customer" as const] };
    const admin = { id: "usr_2", kind: "user" as const, roles: ["customer" as const, "admin" as const] };
    const service = { id: "ops", kind: "service" as const, roles: ["admin" as const] };
    expect(callerKey(null, "10.0.0.1")).toBe("addr:10.0.0.1");
    expect(callerKey(customer, "10.0.0.1")).toBe("user:usr_1");
    expect(callerKey(service, "10.0.0.1")).toBe("service:ops");
    expect(callerLimit(BUDGETS.browse, null)).toBe(600);
    expect(callerLimit(BUDGETS.browse, customer)).toBe(600);
    expect(callerLimit(BUDGETS.browse, admin)).toBe(2400);
    expect(callerLimit(BUDGETS.browse, service)).toBe(6000);
  });

  it("writes the draft's structured fields and the aligned window's reset", () => {
    expect(rateLimitHeaders("checkout", 20, 60, { remaining: 3, resetSeconds: 41 })).toEqual({
      "ratelimit-policy": '"checkout";q=20;w=60',
      ratelimit: '"checkout";r=3;t=41',
    });
    expect(rateLimitHeaders("browse", 600, 60)).toEqual({ "ratelimit-policy": '"browse";q=600;w=60' });
    expect(secondsToAlignedReset(120_000, 60)).toBe(60);
    expect(secondsToAlignedReset(125_500, 60)).toBe(55);
    expect(secondsToAlignedReset(179_999, 60)).toBe(1);
  });
});
