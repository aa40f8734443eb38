/** The gateway's contract on every runtime: health, the error envelope, authentication and the OpenAPI document. */
import { describe, expect, it } from "vitest";
import { api, json, runtime } from "./client.ts";

describe(`platform contract (${runtime})`, () => {
  it("reports every dependency healthy: Postgres, the per-key objects and the queues", async () => {
    const health = await json<{ status: string; checks: Record<string, { status: string }> }>(
      await api("/api/health", { token: null }),
      200,
    );
    expect(health.status).toBe("ok");
    expect(health.checks.postgres?.status).toBe("ok");
    expect(health.checks.durableObjects?.status).toBe("ok");
    expect(health.checks.queues?.status).toBe("ok");
  });

  it("answers problem+json with a code and a request id", async () => {
    const res = await api("/api/no-such-family", { token: null });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { code: string; requestId: string };
    expect(body.code).toBeTruthy();
    expect(body.requestId).toMatch(/^req_/);
  });

  it("refuses a staff route without a token (401) and with a forged one (401)", async () => {
    expect((await api("/api/audit/entries", { token: null })).status).toBe(401);
    expect((await api("/api/audit/entries", { token: "not.a.token" })).status).toBe(401);
  });

  it("serves the same OpenAPI document", async () => {
    const doc = await json<{ openapi: string; paths: Record<string, unknown> }>(await api("/api/openapi.json", { token: null }), 200);
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/products", "/api/auth/login", "/api/inventory/reserve"]));
  });
});
