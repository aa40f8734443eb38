import { describe, expect, it } from "vitest";
import { planQuery, type WordFacts } from "./query-plan.ts";

const known = (word: string): WordFacts => ({ word, known: true, stop: false, candidates: [], completions: [] });
const stop = (word: string): WordFacts => ({ word, known: true, stop: true, candidates: [], completions: [] });
const unknown = (word: string, ...candidates: string[]): WordFacts => ({
  word,
  known: false,
  stop: false,
  candidates: candidates.map((c) => ({ word: c, similarity: 0.3, stop: false })),
  completions: [],
});
const partial = (word: string, ...completions: string[]): WordFacts => ({ word, known: false, stop: false, candidates: [], completions });

describe("planQuery", () => {
  it("searches known words as typed, all of them", () => {
    const plan = planQuery([known("wireless"), known("headphones")], []);
    expect(plan.tsquery).toBe("wireless & headphones");
    expect(plan.readings.map((r) => r.kind)).toEqual(["exact", "exact"]);
    expect(plan.corrected).toBe("wireless headphones");
  });

  it("corrects a misspelt word to its closest candidate and says so", () => {
    const plan = planQuery([unknown("aciton", "acting", "action"), known("camera")], []);
    expect(plan.tsquery).toBe("action & camera");
    expect(plan.corrected).toBe("action camera");
    expect(plan.readings[0]).toEqual({ typed: "aciton", kind: "corrected", searchedAs: "action", synonyms: [] });
  });

  it("completes the last word as a prefix and with its shortest completions", () => {
    const plan = planQuery([known("docking"), partial("sta", "stand", "station", "stainless", "stable")], []);
    expect(plan.tsquery).toBe("docking & (sta:* | stand | station | stainless)");
    expect(plan.readings[1]!.kind).toBe("prefix");
  });

  it("completes only the last word", () => {
    const plan = planQuery([partial("head", "headphones"), known("lamp")], []);
    expect(plan.readings[0]!.kind).not.toBe("prefix");
  });

  it("ignores stop words unless the query is nothing else", () => {
    expect(planQuery([known("case"), stop("for"), known("camera")], []).tsquery).toBe("case & camera");
    expect(planQuery([stop("the")], []).tsquery).toBe("the");
  });

  it("leaves out words nothing resembles while the matching words are the majority, and otherwise searches nothing", () => {
    const partly = planQuery([known("trail"), known("tent"), unknown("qzxv")], []);
    expect(partly.tsquery).toBe("trail & tent");
    expect(partly.readings[2]).toEqual({ typed: "qzxv", kind: "unmatched", searchedAs: null, synonyms: [] });
    expect(planQuery([known("tent"), unknown("qzxv")], []).tsquery).toBe("");
    expect(planQuery([unknown("purple"), unknown("monkey"), known("dishwasher")], []).tsquery).toBe("");
    expect(planQuery([unknown("xkcdqz"), unknown("vbnmw")], []).tsquery).toBe("");
  });

  it("searches short words as typed, since the lexicon does not hold them", () => {
    expect(planQuery([unknown("4k"), known("camera")], []).tsquery).toBe("4k & camera");
  });

  it("widens a word by a one-way synonym in one direction only", () => {
    const rules = [{ term: "backpack", synonym: "daypack", twoWay: false }];
    expect(planQuery([known("backpack")], rules).tsquery).toBe("(backpack | daypack)");
    expect(planQuery([known("daypack")], rules).tsquery).toBe("daypack");
  });

  it("searches a word no product has when a synonym rule names it", () => {
    const rules = [{ term: "backpack", synonym: "daypack", twoWay: false }];
    const plan = planQuery([unknown("backpacks")], rules);
    expect(plan.readings[0]).toEqual({ typed: "backpacks", kind: "exact", searchedAs: "backpacks", synonyms: ["daypack"] });
    expect(plan.tsquery).toBe("(backpacks | daypack)");
  });

  it("applies a two-way synonym both ways, singular or plural", () => {
    const rules = [{ term: "sneakers", synonym: "trainers", twoWay: true }];
    expect(planQuery([known("trainers")], rules).tsquery).toBe("(trainers | sneakers)");
    expect(planQuery([known("sneaker")], rules).tsquery).toBe("(sneaker | trainers)");
  });

  it("matches multi-word phrases, longest first, after correction", () => {
    const rules = [{ term: "running shoes", synonym: "trainers", twoWay: false }];
    const plan = planQuery([known("red"), unknown("runing", "running"), known("shoes")], rules);
    expect(plan.tsquery).toBe("red & ((running & shoes) | trainers)");
    expect(plan.readings[1]!.synonyms).toEqual(["trainers"]);
  });
});
