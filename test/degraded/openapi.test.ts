import { describe, expect, it } from "vitest";
import { api } from "../helpers/http.ts";

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { description?: string; headers?: Record<string, unknown> }> }>>;
};

describe("the OpenAPI document in degraded mode", () => {
  it("lists 503 DATABASE_UNAVAILABLE with Retry-After on every operation that can reach the database, not on liveness", async () => {
    const doc = (await (await api("/api/openapi.json", { token: null })).json()) as Doc;
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (path === "/api/health/live") continue;
        operations++;
        expect(op.responses["503"], `${method} ${path}`).toBeDefined();
      }
    }
    expect(operations).toBeGreaterThan(50);
    expect(doc.paths["/api/cart/items"]!.post!.responses["503"]!.headers).toHaveProperty("Retry-After");
    expect(doc.paths["/api/health/live"]!.get!.responses["503"]).toBeUndefined();
  });

  it("names the staff audit's refusal on every write's 503, also where the route describes its own", async () => {
    const doc = (await (await api("/api/openapi.json", { token: null })).json()) as Doc;
    let writes = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (path === "/api/health/live" || !["post", "put", "patch", "delete"].includes(method)) continue;
        writes++;
        expect(op.responses["503"]?.description, `${method} ${path}`).toContain("STAFF_AUDIT_UNAVAILABLE");
      }
    }
    expect(writes).toBeGreaterThan(30);
    // The route's own reason stays first.
    expect(doc.paths["/api/delivery/shipments"]!.post!.responses["503"]!.description).toMatch(/^The carrier is unavailable/);
  });
});
