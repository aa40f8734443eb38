import { describe, expect, it } from "vitest";
import { isShopper, SHOPPER_HOLDS, shopperExtendProblem, shopperHoldProblems } from "./shopper-holds.ts";

describe("shopper hold limits", () => {
  it("allows small, short holds and names each field beyond a limit", () => {
    expect(shopperHoldProblems([{ sku: "A", quantity: 10 }], 900)).toEqual([]);
    expect(
      shopperHoldProblems(
        [
          { sku: "A", quantity: 6 },
          { sku: "A", quantity: 5 },
        ],
        undefined,
      ).map((p) => p.field),
    ).toEqual(["lines"]);
    const many = Array.from({ length: SHOPPER_HOLDS.maxLines + 1 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));
    expect(shopperHoldProblems(many, 86_400).map((p) => p.field)).toEqual(["lines", "ttlSeconds"]);
  });

  it("lets an extension reach at most the total hold length from the start", () => {
    const start = new Date("2026-01-01T00:00:00Z");
    expect(shopperExtendProblem(start, 600, new Date("2026-01-01T00:10:00Z"))).toBeNull();
    expect(shopperExtendProblem(start, 900, new Date("2026-01-01T00:20:00Z"))?.field).toBe("ttlSeconds");
    expect(shopperExtendProblem(start, 3600, start)?.field).toBe("ttlSeconds");
  });

  it("treats customers as shoppers, and staff and services not", () => {
    expect(isShopper({ id: "u", kind: "user", roles: ["customer"] })).toBe(true);
    expect(isShopper({ id: "u", kind: "user", roles: ["analyst"] })).toBe(true);
    expect(isShopper({ id: "u", kind: "user", roles: ["support"] })).toBe(false);
    expect(isShopper({ id: "ops", kind: "service", roles: ["admin"] })).toBe(false);
  });
});
