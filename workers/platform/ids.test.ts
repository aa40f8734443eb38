import { describe, expect, it } from "vitest";
import { isId, newId } from "./ids.ts";

describe("newId", () => {
  it("is prefixed, 26 Crockford characters, and sorts by time", () => {
    const a = newId("evt", 1_700_000_000_000);
    const b = newId("evt", 1_700_000_000_001);
    expect(a).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
    expect(isId(a, "evt")).toBe(true);
    expect(isId(a, "ord")).toBe(false);
  });

  it("does not repeat", () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newId("req")));
    expect(ids.size).toBe(5000);
  });
});
