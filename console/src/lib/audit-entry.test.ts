import { describe, expect, it } from "vitest";
import { eventOf, outcomeOf } from "./audit-entry.ts";

const write = { method: "POST", route: "/api/products/categories", params: {} };

describe("an audit entry on the audit page", () => {
  it("names a staff write's route, and other events by type", () => {
    expect(eventOf({ type: "StaffActionAttempted", payload: write })).toBe("StaffActionAttempted: POST /api/products/categories");
    expect(eventOf({ type: "StaffActionTaken", payload: { ...write, status: 201 } })).toBe(
      "StaffActionTaken: POST /api/products/categories",
    );
    expect(eventOf({ type: "OrderPlaced", payload: { method: "POST", route: "/x" } })).toBe("OrderPlaced");
    expect(eventOf({ type: "StaffActionTaken", payload: null })).toBe("StaffActionTaken");
  });

  it("shows an attempt with no outcome as outcome unknown, else what became of it", () => {
    expect(outcomeOf({ type: "StaffActionAttempted", payload: write, outcome: { result: "unknown", status: null } })).toBe(
      "outcome unknown",
    );
    expect(outcomeOf({ type: "StaffActionAttempted", payload: write })).toBe("outcome unknown");
    expect(outcomeOf({ type: "StaffActionAttempted", payload: write, outcome: { result: "succeeded", status: 201 } })).toBe(
      "succeeded (201)",
    );
    expect(outcomeOf({ type: "StaffActionFailed", payload: { ...write, status: 403 } })).toBe("failed (403)");
    expect(outcomeOf({ type: "OrderPlaced", payload: { status: 1 } })).toBe("");
  });
});
