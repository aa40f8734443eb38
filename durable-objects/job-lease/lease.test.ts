import { describe, expect, it } from "vitest";
import { acquire, release } from "./lease.ts";

describe("lease rules", () => {
  it("grants a free lease and refuses a held one", () => {
    const first = acquire(undefined, "run-a", 1000, 0);
    expect(first.acquired).toBe(true);
    const lease = first.acquired ? first.lease : undefined;
    expect(acquire(lease, "run-b", 1000, 500)).toEqual({ acquired: false, heldBy: { holder: "run-a", until: 1000 } });
  });

  it("lets anyone take over an expired lease", () => {
    const held = { holder: "run-a", until: 1000 };
    expect(acquire(held, "run-b", 1000, 1000)).toEqual({ acquired: true, lease: { holder: "run-b", until: 2000 } });
  });

  it("lets the holder renew, and only the holder release", () => {
    const held = { holder: "run-a", until: 1000 };
    expect(acquire(held, "run-a", 1000, 10).acquired).toBe(true);
    expect(release(held, "run-b")).toBe(held);
    expect(release(held, "run-a")).toBeUndefined();
  });
});
