import { describe, expect, it } from "vitest";
import { chooseCorrection, damerauLevenshtein, maxEditsFor } from "./typo-rules.ts";

describe("damerauLevenshtein", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(damerauLevenshtein("headphones", "headphones")).toBe(0);
    expect(damerauLevenshtein("headphnes", "headphones")).toBe(1);
    expect(damerauLevenshtein("headphoness", "headphones")).toBe(1);
    expect(damerauLevenshtein("headphomes", "headphones")).toBe(1);
    expect(damerauLevenshtein("kitten", "sitting")).toBe(3);
    expect(damerauLevenshtein("", "abc")).toBe(3);
  });

  it("counts a transposition of adjacent letters as one edit", () => {
    expect(damerauLevenshtein("aciton", "action")).toBe(1);
    expect(damerauLevenshtein("ab", "ba")).toBe(1);
  });

  it("is the unrestricted distance: a transposed pair may be edited again", () => {
    // Optimal string alignment says 3 here; true Damerau-Levenshtein ("ca" -> "ac" -> "abc") says 2.
    expect(damerauLevenshtein("ca", "abc")).toBe(2);
  });

  it("compares code points, so an accented letter is one character", () => {
    expect(damerauLevenshtein("crème", "creme")).toBe(1);
  });

  it("caps the answer at limit + 1", () => {
    expect(damerauLevenshtein("a", "abcdefgh", 2)).toBe(3);
    expect(damerauLevenshtein("abcdef", "uvwxyz", 2)).toBe(3);
  });
});

describe("maxEditsFor", () => {
  it("allows none up to three letters, one up to seven, two from eight", () => {
    expect(["tv", "mat", "lamp", "action", "docking", "keyboard", "headphones"].map(maxEditsFor)).toEqual([0, 0, 1, 1, 1, 2, 2]);
  });
});

describe("chooseCorrection", () => {
  const none = new Set<string>();
  const c = (word: string, similarity = 0.3) => ({ word, similarity });

  it("takes the closest candidate by edit distance, not the most similar by trigrams", () => {
    expect(chooseCorrection("aciton", [c("acting", 0.4), c("action", 0.27)], none)).toBe("action");
  });

  it("never corrects beyond what the length allows", () => {
    expect(chooseCorrection("matt", [c("mat")], none)).toBe("mat");
    expect(chooseCorrection("mtt", [c("mat")], none)).toBeNull();
    expect(chooseCorrection("lmap", [c("lamb")], none)).toBeNull();
    expect(chooseCorrection("hedphnes", [c("headphones")], none)).toBe("headphones");
    expect(chooseCorrection("hedpnes", [c("headphones")], none)).toBeNull();
  });

  it("never corrects to a stop word", () => {
    expect(chooseCorrection("witth", [c("with", 0.5), c("width", 0.2)], new Set(["with"]))).toBe("width");
    expect(chooseCorrection("witth", [c("with", 0.5)], new Set(["with"]))).toBeNull();
  });

  it("breaks ties by trigram similarity, then the first letter, then the alphabet", () => {
    expect(chooseCorrection("bots", [c("bats", 0.2), c("boots", 0.4)], none)).toBe("boots");
    expect(chooseCorrection("bost", [c("cost", 0.3), c("boat", 0.3)], none)).toBe("boat");
    expect(chooseCorrection("bost", [c("bust", 0.3), c("boat", 0.3)], none)).toBe("boat");
  });

  it("answers null for nonsense with no close candidate", () => {
    expect(chooseCorrection("qzxvbn", [c("quartz", 0.2)], none)).toBeNull();
  });
});
