import { describe, expect, it } from "vitest";
import { testEnv } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin } from "../../test/helpers/identity.ts";
import { faultInjectionEnabled } from "../platform/faults.ts";

/** The value of one series of the Prometheus text, or 0 when it is not there. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("GET /api/metrics", () => {
  it("answers staff with Prometheus text counting a scripted workload, and refuses others", async () => {
    const before = await (await api("/api/metrics")).text();
    const route = 'edge_commerce_http_requests_total{method="GET",route="/api/health/live",status="200"}';
    const missing = 'edge_commerce_http_problems_total{code="NOT_FOUND",status="404"}';
    for (let i = 0; i < 5; i++) expect((await api("/api/health/live")).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await api(`/api/nowhere-${i}`)).status).toBe(404);

    const res = await api("/api/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    expect(sample(text, route) - sample(before, route)).toBe(5);
    expect(sample(text, missing) - sample(before, missing)).toBe(3);
    expect(text).toContain("# TYPE edge_commerce_http_request_duration_seconds histogram");
    expect(text).toMatch(/edge_commerce_http_request_duration_seconds_bucket\{method="GET",route="\/api\/health\/live",le="\+Inf"\} \d+/);
    expect(text).toContain("# TYPE edge_commerce_dependency_down gauge");
    // Every sample line is a valid exposition line.
    for (const line of text.trim().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) \S+ .+|[a-z_]+(\{[^}]*\})? -?[0-9.e+-]+)$/);

    expect((await api("/api/metrics", { token: null })).status).toBe(401);
    const customer = await registerAndLogin();
    expect((await api("/api/metrics", { token: customer.accessToken })).status).toBe(403);
  });

  it("is in the OpenAPI document, and every limited operation documents its 429 with the rate-limit fields", async () => {
    const doc = (await (await api("/api/openapi.json", { token: null })).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    };
    expect(doc.paths["/api/metrics"]?.get?.responses).toHaveProperty("403");
    expect(Object.keys(doc.paths["/api/products"]!.get!.responses["429"]!.headers!)).toEqual([
      "Retry-After",
      "RateLimit-Policy",
      "RateLimit",
    ]);
    expect(doc.paths["/api/health"]!.get!.responses["429"]).toBeUndefined();
    expect(doc.paths["/api/payments/webhooks/{provider}"]!.post!.responses["429"]).toBeUndefined();
  });
});

describe("configuration", () => {
  it("refuses fault injection in production, naming the setting", () => {
    const production = { vars: { ...testEnv.vars, APP_ENV: "production", FAULT_INJECTION: "on" } };
    expect(() => faultInjectionEnabled(production)).toThrow(/FAULT_INJECTION: fault injection is refused in production/);
    expect(faultInjectionEnabled({ vars: { ...testEnv.vars, APP_ENV: "production", FAULT_INJECTION: "off" } })).toBe(false);
    expect(faultInjectionEnabled({ vars: { ...testEnv.vars, APP_ENV: "test", FAULT_INJECTION: "on" } })).toBe(true);
  });
});
