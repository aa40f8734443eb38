import { describe, expect, it } from "vitest";
import { handlerPath, isAuditedWrite, outcomesOf, paramsOf, routeTemplate } from "./staff-action-rules.ts";

describe("which staff requests are audited", () => {
  it("takes writes and leaves reads, sign-in and the chain's verification", () => {
    expect(isAuditedWrite("POST", "/api/products")).toBe(true);
    expect(isAuditedWrite("DELETE", "/api/promotions/prm_1")).toBe(true);
    expect(isAuditedWrite("GET", "/api/products")).toBe(false);
    expect(isAuditedWrite("POST", "/api/auth/login")).toBe(false);
    expect(isAuditedWrite("POST", "/api/audit/verify")).toBe(false);
    expect(isAuditedWrite("POST", "/api/audit/verify/x")).toBe(true);
  });
});

describe("the route a request matched, before it runs", () => {
  it("is the last route that is not a middleware, or none", () => {
    const mw = { method: "ALL", path: "/api/*" };
    expect(handlerPath([mw, { method: "ALL", path: "*" }, { method: "PATCH", path: "/api/products/:id" }])).toBe("/api/products/:id");
    expect(handlerPath([mw, { method: "ALL", path: "/api/products/*" }])).toBeNull();
    expect(handlerPath([])).toBeNull();
  });

  it("names the route as the document does", () => {
    expect(routeTemplate("/api/products/:id/images/:imageId")).toBe("/api/products/{id}/images/{imageId}");
    expect(routeTemplate("/api/inventory/:sku{[A-Z0-9-]+}/adjust")).toBe("/api/inventory/{sku}/adjust");
    expect(routeTemplate("/api/products")).toBe("/api/products");
  });

  it("reads the path parameters, decoded and cut", () => {
    expect(paramsOf("/api/products/:id/images/:imageId", "/api/products/prd_1/images/img_2")).toEqual({ id: "prd_1", imageId: "img_2" });
    expect(paramsOf("/api/inventory/:sku/adjust", "/api/inventory/MUG%20RED/adjust")).toEqual({ sku: "MUG RED" });
    expect(paramsOf("/api/inventory/:sku/adjust", "/api/inventory/%E0%A4%A/adjust")).toEqual({ sku: "%E0%A4%A" });
    expect(paramsOf("/api/users/:id", `/api/users/${"x".repeat(500)}`).id).toHaveLength(200);
    expect(paramsOf("/api/products", "/api/products")).toEqual({});
  });
});

describe("what became of an attempt", () => {
  it("is its outcome's result and status, or unknown", () => {
    const outcomes = outcomesOf(
      ["evt_a", "evt_b", "evt_c"],
      [
        { attemptId: "evt_a", type: "StaffActionTaken", status: 201 },
        { attemptId: "evt_b", type: "StaffActionFailed", status: 409 },
        { attemptId: "evt_z", type: "StaffActionTaken", status: 200 },
      ],
    );
    expect(Object.fromEntries(outcomes)).toEqual({
      evt_a: { result: "succeeded", status: 201 },
      evt_b: { result: "failed", status: 409 },
      evt_c: { result: "unknown", status: null },
    });
  });
});
