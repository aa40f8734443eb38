import { describe, expect, it } from "vitest";
import { sampledFlag, shouldSample } from "./sampler.ts";
import { randomHex } from "./span.ts";

describe("parent-based sampler", () => {
  it("honours an incoming sampled flag whatever the rate", () => {
    const traceId = randomHex(16);
    expect(shouldSample(traceId, "01", 0)).toBe(true);
    expect(shouldSample(traceId, "00", 1)).toBe(false);
    // Other flag bits do not matter, only the sampled bit.
    expect(sampledFlag("03")).toBe(true);
    expect(sampledFlag("02")).toBe(false);
  });

  it("decides a new trace by its id: the same trace always gets the same answer", () => {
    const low = `${"f".repeat(18)}00000000000001`;
    const high = `${"0".repeat(18)}ffffffffffffff`;
    expect(shouldSample(low, null, 0.1)).toBe(true);
    expect(shouldSample(high, null, 0.1)).toBe(false);
    for (let i = 0; i < 20; i++) {
      const id = randomHex(16);
      expect(shouldSample(id, null, 0.5)).toBe(shouldSample(id, null, 0.5));
    }
  });

  it("keeps about the configured share of new traces, none at 0 and all at 1", () => {
    const ids = Array.from({ length: 4000 }, () => randomHex(16));
    const kept = ids.filter((id) => shouldSample(id, null, 0.1)).length;
    expect(kept).toBeGreaterThan(280);
    expect(kept).toBeLessThan(520);
    expect(ids.some((id) => shouldSample(id, null, 0))).toBe(false);
    expect(ids.every((id) => shouldSample(id, null, 1))).toBe(true);
  });
});
