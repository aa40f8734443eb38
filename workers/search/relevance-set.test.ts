import { describe, expect, it } from "vitest";
import { type Answer, type RelevanceCase, type RelevanceProduct, score } from "./relevance-set.ts";

const product = (id: string, name: string): RelevanceProduct => ({ id, name, brand: "B", category: "C", description: "" });
const products = [product("a", "Trail Tent"), product("b", "Trail Shoes"), product("c", "Tent Pegs"), product("d", "Mug")];
const wantsTent: RelevanceCase = { query: "tent", type: "exact", wanted: (p) => p.name.includes("Tent") };
const wantsShoes: RelevanceCase = { query: "shoes", type: "exact", wanted: (p) => p.name.includes("Shoes") };
const nonsense: RelevanceCase = { query: "xyzzy", type: "nonsense", wanted: null };

describe("score", () => {
  it("computes hit@1, hit@3, MRR and the zero-result rate over real queries, and junk over nonsense", () => {
    const answers: Answer[] = [
      { query: wantsTent, ranked: ["a", "b"] }, // rank 1
      { query: wantsShoes, ranked: ["d", "c", "b"] }, // rank 3
      { query: wantsShoes, ranked: ["d", "d", "d", "b"] }, // rank 4: not in the top three
      { query: wantsTent, ranked: [] }, // nothing
      { query: nonsense, ranked: ["d"] },
      { query: nonsense, ranked: [] },
    ];
    expect(score(answers, products)).toEqual({
      queries: 6,
      hitAt1: 1 / 4,
      hitAt3: 2 / 4,
      mrr: (1 + 1 / 3 + 1 / 4) / 4,
      zeroResultRate: 1 / 4,
      junkRate: 1 / 2,
    });
  });

  it("counts a hit only in the top ten for MRR", () => {
    const ranked = [...Array(10).fill("d"), "a"];
    expect(score([{ query: wantsTent, ranked }], products).mrr).toBe(0);
  });
});
