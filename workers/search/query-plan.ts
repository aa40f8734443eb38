/**
 * How a search query is read, without a database: from what the lexicon,
 * the stop words and the synonyms say about each typed word (query-words.ts
 * asks them) to the text-search query Postgres runs, and an account of each
 * word for the response.
 *
 * - A stop word is ignored, unless every word is one.
 * - A word the lexicon knows is searched as typed; so is a word shorter than
 *   the lexicon keeps (it records words of three letters or more).
 * - The last word is also a prefix when some lexicon word starts with it
 *   (as-you-type): `head` finds headphones and headlamps. Its shortest
 *   completions are searched too, because the English stemmer may cut a
 *   whole word shorter than what was typed (`runni` is a prefix of
 *   "running", whose stem is `run`).
 * - Any other word is corrected (typo-rules.ts) or, when nothing in the
 *   catalogue is close enough, reported as unmatched. Unmatched words are
 *   left out while the words that match are the majority; otherwise the
 *   query searches for nothing, rather than answer mostly-nonsense with
 *   whatever its one real word finds.
 * - Synonyms widen a word or phrase (up to three words) to its alternatives.
 */
import { chooseCorrection, type TypoCandidate } from "./typo-rules.ts";

/** What the database reports about one typed word. */
export interface WordFacts {
  word: string;
  known: boolean;
  stop: boolean;
  /** Trigram candidates, for a word the lexicon does not know. */
  candidates: (TypoCandidate & { stop: boolean })[];
  /** Lexicon words that start with the word, shortest first; only for the last word. */
  completions: string[];
}

export interface SynonymRule {
  term: string;
  synonym: string;
  twoWay: boolean;
}

export type WordKind = "exact" | "corrected" | "prefix" | "stop" | "unmatched";

export interface WordReading {
  typed: string;
  kind: WordKind;
  /** The word searched for: as typed, or its correction; null for a stop word or an unmatched one. */
  searchedAs: string | null;
  /** Synonyms that widened the word or a phrase it starts or belongs to. */
  synonyms: string[];
}

export interface QueryPlan {
  readings: WordReading[];
  /** For to_tsquery('english', ...): words are normalised (letters and digits only), so none is an operator. Empty: nothing is searched. */
  tsquery: string;
  typed: string;
  /** The typed words with their corrections. */
  corrected: string;
}

/** Phrases longer than this are not looked up as synonyms. */
const MAX_PHRASE_WORDS = 3;
/** Completions of the last word searched besides the prefix itself. */
const MAX_COMPLETIONS = 3;
/** The lexicon keeps words of this length or more (search.lexicon_words). */
const LEXICON_MIN_LENGTH = 3;

function readWord(facts: WordFacts, isLast: boolean, ignoreStops: boolean, ruleWords: ReadonlySet<string>): WordReading {
  const reading = (kind: WordKind, searchedAs: string | null): WordReading => ({ typed: facts.word, kind, searchedAs, synonyms: [] });
  if (facts.stop && ignoreStops) return reading("stop", null);
  if (isLast && facts.completions.length > 0) return reading("prefix", facts.word);
  // A word a synonym rule names is searchable even if no product has it: its synonyms may match.
  if (facts.known || ruleWords.has(phraseKey(facts.word)) || [...facts.word].length < LEXICON_MIN_LENGTH)
    return reading("exact", facts.word);
  const stops = new Set(facts.candidates.filter((c) => c.stop).map((c) => c.word));
  const correction = chooseCorrection(facts.word, facts.candidates, stops);
  return correction === null ? reading("unmatched", null) : reading("corrected", correction);
}

/** Singular and plural of a word or phrase compare equal for synonyms ("sneaker" finds the rule for "sneakers"). */
function phraseKey(phrase: string): string {
  return phrase
    .split(" ")
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w))
    .join(" ");
}

/** The alternatives of a phrase: synonyms of rules where it is the term, or either side of a two-way rule. */
function alternativesOf(phrase: string, rules: SynonymRule[]): string[] {
  const key = phraseKey(phrase);
  const found = new Set<string>();
  for (const r of rules) {
    if (phraseKey(r.term) === key) found.add(r.synonym);
    else if (r.twoWay && phraseKey(r.synonym) === key) found.add(r.term);
  }
  found.delete(phrase);
  return [...found];
}

const and = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${parts.join(" & ")})`);
const or = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${parts.join(" | ")})`);

function wordQuery(r: WordReading, facts: WordFacts): string {
  if (r.kind !== "prefix") return r.searchedAs!;
  return or([`${r.typed}:*`, ...facts.completions.slice(0, MAX_COMPLETIONS)]);
}

export function planQuery(words: WordFacts[], rules: SynonymRule[]): QueryPlan {
  const ignoreStops = !words.every((w) => w.stop);
  const ruleWords = new Set(rules.flatMap((r) => (r.twoWay ? [r.term, r.synonym] : [r.term]).flatMap((p) => phraseKey(p).split(" "))));
  const readings = words.map((w, i) => readWord(w, i === words.length - 1, ignoreStops, ruleWords));
  const unmatched = readings.filter((r) => r.kind === "unmatched").length;
  const matched = readings.filter((r) => r.searchedAs !== null).length;
  const searchable = unmatched < matched;
  // The searched words in order, each with its part of the query; synonyms then group runs of them.
  const searched = readings.flatMap((r, i) =>
    r.searchedAs === null || !searchable ? [] : [{ reading: r, query: wordQuery(r, words[i]!) }],
  );
  const groups: string[] = [];
  for (let i = 0; i < searched.length; ) {
    let taken = 1;
    let alternatives: string[] = [];
    for (let n = Math.min(MAX_PHRASE_WORDS, searched.length - i); n >= 1; n--) {
      const run = searched.slice(i, i + n);
      alternatives = alternativesOf(run.map((s) => s.reading.searchedAs!).join(" "), rules);
      if (alternatives.length > 0) {
        taken = n;
        break;
      }
    }
    const run = searched.slice(i, i + taken);
    for (const s of run) s.reading.synonyms.push(...alternatives);
    const own = and(run.map((s) => s.query));
    groups.push(alternatives.length === 0 ? own : or([own, ...alternatives.map((a) => and(a.split(" ")))]));
    i += taken;
  }
  return {
    readings,
    tsquery: groups.join(" & "),
    typed: words.map((w) => w.word).join(" "),
    corrected: readings.map((r) => (r.kind === "corrected" ? r.searchedAs! : r.typed)).join(" "),
  };
}
