import { describe, expect, it } from "vitest";
import { completeDocument, type OpenApiDocument, operationIdOf } from "./openapi-completion.ts";

const options = { productionUrl: "https://api.shop.example", requestOrigin: "http://127.0.0.1:8787" };

describe("the document's completion by the gateway", () => {
  it("derives operation ids from method and path", () => {
    expect(operationIdOf("get", "/api/products/{id}")).toBe("getProductsById");
    expect(operationIdOf("post", "/api/auth/login/mfa")).toBe("postAuthLoginMfa");
    expect(operationIdOf("get", "/api/auth/.well-known/jwks.json")).toBe("getAuthWellKnownJwksJson");
  });

  it("adds the gateway's statuses by what an operation takes, keeps what a route wrote, and declares security", () => {
    const doc = completeDocument(
      {
        paths: {
          "/api/things/{id}": {
            get: { parameters: [{ in: "path", name: "id" }], responses: { 200: { description: "ok" } } },
            patch: {
              operationId: "changeThing",
              security: [{ bearer: [] }],
              requestBody: { content: { "application/json": {} } },
              responses: { 200: { description: "ok" }, 422: { description: "route's own" } },
            },
          },
          "/api/health": { get: { responses: { 200: { description: "ok" } } } },
        },
      } as OpenApiDocument,
      options,
    );
    const thing = doc.paths!["/api/things/{id}"]!;
    expect(Object.keys(thing.get!.responses!).sort()).toEqual(["200", "401", "422", "500"]);
    expect(Object.keys(thing.patch!.responses!).sort()).toEqual(["200", "400", "401", "413", "415", "422", "500"]);
    expect(thing.patch!.responses!["422"]).toEqual({ description: "route's own" });
    expect(Object.keys(doc.paths!["/api/health"]!.get!.responses!).sort()).toEqual(["200", "401", "500"]);
    expect(thing.get!.security).toEqual([{}, { bearer: [] }]);
    expect(thing.patch!.security).toEqual([{ bearer: [] }]);
    expect([thing.get!.operationId, thing.patch!.operationId]).toEqual(["getThingsById", "changeThing"]);
    expect(doc.servers).toEqual([{ url: "https://api.shop.example", description: "Production", "x-internal": false }]);
  });

  it("bounds integers to the safe range and says nullable references in a form that admits null", () => {
    const doc = completeDocument(
      {
        components: {
          schemas: {
            Count: { type: "integer", minimum: 0 },
            Holder: { type: "object", properties: { a: { allOf: [{ $ref: "#/components/schemas/A" }, { type: ["object", "null"] }] } } },
          },
        },
      } as OpenApiDocument,
      options,
    );
    const schemas = doc.components!.schemas as Record<string, Record<string, unknown>>;
    expect(schemas.Count).toEqual({ type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER, format: "int64" });
    expect((schemas.Holder!.properties as Record<string, unknown>).a).toEqual({
      anyOf: [{ $ref: "#/components/schemas/A" }, { type: "null" }],
    });
  });
});
