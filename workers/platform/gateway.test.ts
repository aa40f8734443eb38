import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";

type ProblemBody = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  requestId: string;
  instance: string;
  errors?: { field: string; message: string }[];
};

describe("request ids and tracing", () => {
  it("echoes a well-formed x-request-id and uses it in problems", async () => {
    const res = await api("/api/nope", { headers: { "x-request-id": "client-abc.123" } });
    expect(res.headers.get("x-request-id")).toBe("client-abc.123");
    const body = (await res.json()) as ProblemBody;
    expect(body.requestId).toBe("client-abc.123");
  });

  it("replaces a missing or unsafe request id with a generated one", async () => {
    const generated = await api("/api/health/live");
    expect(generated.headers.get("x-request-id")).toMatch(/^req_[0-9A-Z]{26}$/);
    const unsafe = await api("/api/health/live", { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^req_[0-9A-Z]{26}$/);
    const tooLong = await api("/api/health/live", { headers: { "x-request-id": "a".repeat(200) } });
    expect(tooLong.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("continues an incoming W3C trace with a new span, or starts one", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await api("/api/health/live", { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const [version, tid, span, flags] = res.headers.get("traceparent")!.split("-");
    expect([version, tid, flags]).toEqual(["00", traceId, "01"]);
    expect(span).toMatch(/^[0-9a-f]{16}$/);
    expect(span).not.toBe("00f067aa0ba902b7");

    const fresh = await api("/api/health/live", { headers: { traceparent: "garbage" } });
    expect(fresh.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(fresh.headers.get("traceparent")).not.toContain(traceId);
  });
});

describe("problem+json errors", () => {
  it("answers an unknown route with a 404 problem", async () => {
    const res = await api("/api/does-not-exist?x=1", { method: "DELETE" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as ProblemBody;
    expect(body).toMatchObject({ status: 404, code: "NOT_FOUND", title: "Not found", instance: "/api/does-not-exist" });
    expect(body.type).toMatch(/^https:\/\//);
    expect(body.detail).toContain("DELETE /api/does-not-exist");
  });

  it("refuses a body over the configured limit with 413 before reading it", async () => {
    const res = await api("/api/pipeline/dead-letters/replay", {
      method: "POST",
      json: { queue: "pipeline-events", pad: "x".repeat(70_000) },
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as ProblemBody;
    expect(body.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("names each invalid field with a 422", async () => {
    const res = await api("/api/pipeline/dead-letters/replay", { method: "POST", json: { queue: "no-such-queue", limit: 1000 } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ProblemBody;
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.errors!.map((e) => e.field).sort()).toEqual(["limit", "queue"]);
  });

  it("names invalid query parameters with their location", async () => {
    const res = await api("/api/pipeline/dead-letters?limit=0&status=lost");
    expect(res.status).toBe(422);
    const body = (await res.json()) as ProblemBody;
    expect(body.errors!.map((e) => e.field).sort()).toEqual(["query.limit", "query.status"]);
  });

  it("answers malformed JSON with a 400 problem", async () => {
    const res = await api("/api/pipeline/dead-letters/replay", {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ProblemBody).code).toBe("BAD_REQUEST");
  });
});

describe("authentication", () => {
  it("asks for a bearer token on admin endpoints", async () => {
    const res = await api("/api/pipeline/stats", { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await res.json()) as ProblemBody).code).toBe("UNAUTHORIZED");
  });

  it("refuses an unknown token and a non-bearer scheme", async () => {
    expect((await api("/api/pipeline/stats", { token: "x".repeat(40) })).status).toBe(401);
    expect((await api("/api/pipeline/stats", { token: null, headers: { authorization: "Basic Zm9vOmJhcg==" } })).status).toBe(401);
  });
});

describe("CORS and security headers", () => {
  it("allows a configured origin in a preflight", async () => {
    const res = await api("/api/pipeline/stats", {
      method: "OPTIONS",
      token: null,
      headers: {
        origin: "https://shop.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });

  it("does not allow an origin outside the list", async () => {
    const res = await api("/api/health/live", { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sets secure headers", async () => {
    const res = await api("/api/health/live");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});

describe("OpenAPI", () => {
  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const res = await api("/api/openapi.json", { token: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/health", "/api/pipeline/dead-letters", "/api/scheduler/jobs/{name}/run"]),
    );
    expect(Object.keys(doc.paths["/api/pipeline/dead-letters/replay"]!.post!.responses)).toEqual(
      expect.arrayContaining(["200", "401", "422"]),
    );
  });

  it("serves the docs UI", async () => {
    const res = await api("/api/docs", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("/api/openapi.json");
  });
});
