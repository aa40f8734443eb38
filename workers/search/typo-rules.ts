/**
 * Typo correction rules, without a database: the edit distance, how many
 * edits a word of a given length may carry, and which lexicon word (among
 * the trigram candidates Postgres found) a misspelt word becomes.
 */

/**
 * Damerau-Levenshtein distance (insertions, deletions, substitutions and
 * transpositions of adjacent characters, unrestricted: a transposed pair may
 * be edited again). Code points, not UTF-16 units, are compared. A distance
 * above `limit` is returned as `limit + 1`; lengths further apart than the
 * limit are not compared at all.
 */
export function damerauLevenshtein(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  const big = s.length + t.length;
  const width = t.length + 2;
  // d[(i + 1) * width + (j + 1)] is the distance between s[0, i) and t[0, j); row 0 and column 0 hold the sentinel.
  const d = new Array<number>((s.length + 2) * width).fill(0);
  d[0] = big;
  for (let i = 0; i <= s.length; i++) {
    d[(i + 1) * width] = big;
    d[(i + 1) * width + 1] = i;
  }
  for (let j = 0; j <= t.length; j++) {
    d[j + 1] = big;
    d[width + j + 1] = j;
  }
  const lastRow = new Map<string, number>();
  for (let i = 1; i <= s.length; i++) {
    let lastMatchCol = 0;
    for (let j = 1; j <= t.length; j++) {
      const i1 = lastRow.get(t[j - 1]!) ?? 0;
      const j1 = lastMatchCol;
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      if (cost === 0) lastMatchCol = j;
      const value = Math.min(
        d[i * width + j]! + cost,
        d[(i + 1) * width + j]! + 1,
        d[i * width + j + 1]! + 1,
        d[i1 * width + j1]! + (i - i1 - 1) + 1 + (j - j1 - 1),
      );
      d[(i + 1) * width + j + 1] = value;
    }
    lastRow.set(s[i - 1]!, i);
  }
  return Math.min(d[(s.length + 1) * width + t.length + 1]!, limit + 1);
}

/**
 * Edits a typed word may be away from its correction: none for three letters
 * or fewer (too many real words are that close to each other), one up to
 * seven letters, two from eight on.
 */
export function maxEditsFor(word: string): number {
  const length = [...word].length;
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

export interface TypoCandidate {
  word: string;
  /** pg_trgm similarity to the typed word, 0 to 1. */
  similarity: number;
}

/**
 * The correction of a word the lexicon does not know: the candidate closest
 * by Damerau-Levenshtein distance, within the edits the word's length allows,
 * that is not a stop word. Among equally close ones the more similar by
 * trigrams wins, then the one that keeps the first letter, then the
 * alphabetically first (so the choice is stable). Null when none qualifies.
 */
export function chooseCorrection(typed: string, candidates: TypoCandidate[], stopWords: ReadonlySet<string>): string | null {
  const allowed = maxEditsFor(typed);
  if (allowed === 0) return null;
  let best: { word: string; distance: number; similarity: number; sameStart: boolean } | null = null;
  for (const c of candidates) {
    if (c.word === typed || stopWords.has(c.word)) continue;
    const distance = damerauLevenshtein(typed, c.word, allowed);
    if (distance > allowed) continue;
    const option = { word: c.word, distance, similarity: c.similarity, sameStart: c.word[0] === typed[0] };
    if (best === null || better(option, best)) best = option;
  }
  return best?.word ?? null;
}

function better(
  a: { word: string; distance: number; similarity: number; sameStart: boolean },
  b: { word: string; distance: number; similarity: number; sameStart: boolean },
): boolean {
  if (a.distance !== b.distance) return a.distance < b.distance;
  if (a.similarity !== b.similarity) return a.similarity > b.similarity;
  if (a.sameStart !== b.sameStart) return a.sameStart;
  return a.word < b.word;
}
