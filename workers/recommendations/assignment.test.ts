import { describe, expect, it } from "vitest";
import { assignArm, bucketOf } from "./assignment.ts";

const arms = [
  { name: "control", algorithm: "trending", weight: 1 },
  { name: "personal", algorithm: "personal", weight: 1 },
];

describe("A/B assignment", () => {
  it("gives a user the same arm every time", () => {
    for (let i = 0; i < 200; i++) {
      const user = `usr_${i}`;
      const first = assignArm("exp_a", user, arms).name;
      for (let k = 0; k < 3; k++) expect(assignArm("exp_a", user, arms).name).toBe(first);
    }
  });

  it("splits users by the arms' weights", () => {
    const weighted = [
      { name: "a", algorithm: "x", weight: 3 },
      { name: "b", algorithm: "y", weight: 1 },
    ];
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 20_000; i++) counts[assignArm("exp_w", `usr_${i}`, weighted).name as "a" | "b"]++;
    expect(counts.a / 20_000).toBeGreaterThan(0.73);
    expect(counts.a / 20_000).toBeLessThan(0.77);
  });

  it("assigns independently in different experiments", () => {
    let same = 0;
    for (let i = 0; i < 10_000; i++) if (bucketOf("exp_1", `u${i}`) < 0.5 === bucketOf("exp_2", `u${i}`) < 0.5) same++;
    // Independent halves agree about half the time; correlated ones far more or far less.
    expect(same / 10_000).toBeGreaterThan(0.47);
    expect(same / 10_000).toBeLessThan(0.53);
  });
});
