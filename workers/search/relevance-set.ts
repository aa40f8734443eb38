/**
 * The relevance set: shopper queries over the demo catalogue (db/seed), each
 * with the products it should find, derived from the catalogue's own data (a
 * rule over name, brand, category and description, not a list of ids), and
 * the metrics a ranking is judged by. The relevance test and the benchmark
 * (scripts/bench/search-relevance.ts) both use it.
 */

export interface RelevanceProduct {
  id: string;
  name: string;
  brand: string;
  category: string;
  description: string;
}

export const QUERY_TYPES = [
  "exact",
  "one typo",
  "transposition",
  "two typos",
  "words with typos",
  "brand + type",
  "plural",
  "prefix",
  "word order",
  "accents",
  "synonym",
  "attribute",
  "category",
  "nonsense",
] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

export interface RelevanceCase {
  query: string;
  type: QueryType;
  /** Which products answer the query; null for nonsense, which nothing should answer. */
  wanted: ((p: RelevanceProduct) => boolean) | null;
}

/** The synonym rules the synonym queries rely on, as an admin would enter them. */
export const RELEVANCE_SYNONYMS = [
  { term: "sneakers", synonym: "trainers", twoWay: true },
  { term: "backpack", synonym: "daypack", twoWay: false },
  { term: "head torch", synonym: "headlamp", twoWay: false },
  { term: "cologne", synonym: "eau de toilette", twoWay: false },
  { term: "comforter", synonym: "duvet", twoWay: false },
  { term: "frying pan", synonym: "skillet", twoWay: false },
] as const;

const lower = (s: string) => s.toLowerCase();
/** The name holds every fragment (case-insensitive). */
const named =
  (...fragments: string[]) =>
  (p: RelevanceProduct) =>
    fragments.every((f) => lower(p.name).includes(lower(f)));
const brand = (name: string, ...fragments: string[]) => {
  const n = named(...fragments);
  return (p: RelevanceProduct) => p.brand === name && n(p);
};
const category = (name: string) => (p: RelevanceProduct) => p.category === name;
const either =
  (...rules: ((p: RelevanceProduct) => boolean)[]) =>
  (p: RelevanceProduct) =>
    rules.some((r) => r(p));

const c = (type: QueryType, query: string, wanted: RelevanceCase["wanted"]): RelevanceCase => ({ query, type, wanted });

export const RELEVANCE_CASES: RelevanceCase[] = [
  c("exact", "studio headphones", named("studio headphones")),
  c("exact", "docking station", named("docking station")),
  c("exact", "yoga mat", named("yoga mat")),
  c("exact", "dutch oven", named("dutch oven")),
  c("exact", "sleeping bag", named("sleeping bag")),
  c("exact", "eau de parfum", named("eau de parfum")),
  c("exact", "french press", named("french press")),
  c("exact", "chelsea boots", named("chelsea boots")),

  c("one typo", "headphnes", named("headphones")),
  c("one typo", "keyboad", named("keyboard")),
  c("one typo", "thermostst", named("thermostat")),
  c("one typo", "moisturizer", named("moisturiser")),
  c("one typo", "shampo", named("shampoo")),
  c("one typo", "kettlebel", named("kettlebell")),
  c("one typo", "skilet", named("skillet")),
  c("one typo", "lantrn house", brand("Lantern House")),

  c("transposition", "aciton gimbal", named("action gimbal")),
  c("transposition", "mosue", named("mouse")),
  c("transposition", "tnet", named("tent")),
  c("transposition", "sauecpan", named("saucepan")),
  c("transposition", "webcma", named("webcam")),
  c("transposition", "helmte", named("helmet")),

  c("two typos", "hedphnes", named("headphones")),
  c("two typos", "condtionr", named("conditioner")),
  c("two typos", "mositurizer", named("moisturiser")),
  c("two typos", "ligthose", named("lighthouse")),
  c("two typos", "kartographr", named("cartographer")),

  c("words with typos", "ergonmic keybord", named("ergonomic", "keyboard")),
  c("words with typos", "bluetoth speker", named("bluetooth speaker")),
  c("words with typos", "stainles steel cuting board", named("stainless steel", "cutting board")),
  c("words with typos", "noise canceling soundbar", named("noise-cancelling", "soundbar")),
  c("words with typos", "insulatd jaket", named("insulated", "jacket")),
  c("words with typos", "trekkng poels", named("trekking poles")),

  c("brand + type", "northwind docking station", brand("Northwind Audio", "docking station")),
  c("brand + type", "voltline webcam", brand("Voltline", "webcam")),
  c("brand + type", "copperleaf french press", brand("Copperleaf", "french press")),
  c("brand + type", "ridgeback daypack", brand("Ridgeback", "daypack")),
  c("brand + type", "dewdrop shampoo", brand("Dewdrop", "shampoo")),
  c("brand + type", "penrose press", brand("Penrose Press")),

  c("plural", "headphone", named("headphones")),
  c("plural", "sneaker", named("sneakers")),
  c("plural", "boot", named("boot")),
  c("plural", "candle holders", named("candle holder")),
  c("plural", "chef knives", named("chef's knife")),
  c("plural", "dresses", named("dress")),

  c("prefix", "head", either(named("headphones"), named("headlamp"))),
  c("prefix", "docking sta", named("docking station")),
  c("prefix", "therm", named("thermostat")),
  c("prefix", "kettleb", named("kettlebell")),
  c("prefix", "yoga m", named("yoga mat")),
  c("prefix", "sleeping b", named("sleeping bag")),

  c("word order", "headphones studio", named("studio headphones")),
  c("word order", "press french", named("french press")),
  c("word order", "boots chelsea", named("chelsea boots")),
  c("word order", "set sheet", named("sheet set")),

  c("accents", "argán hair mask", named("argan", "hair mask")),
  c("accents", "cédar eau de toilette", named("cedar", "eau de toilette")),
  c("accents", "séa salt body mist", named("sea salt", "body mist")),
  c("accents", "SÉRUM", named("serum")),

  c("synonym", "trainers", named("sneakers")),
  c("synonym", "backpack", named("daypack")),
  c("synonym", "head torch", named("headlamp")),
  c("synonym", "cologne", named("eau de toilette")),
  c("synonym", "comforter", named("duvet")),
  c("synonym", "frying pan", named("skillet")),

  c("attribute", "waterproof", named("waterproof")),
  c("attribute", "noise cancelling", named("noise-cancelling")),
  c("attribute", "sulphate free conditioner", named("sulphate-free", "conditioner")),
  c("attribute", "organic cotton pillowcase", named("organic cotton", "pillowcase")),
  c("attribute", "cast iron", named("cast-iron")),
  c("attribute", "4k camera", named("4k", "camera")),

  c("category", "skincare", category("Skincare")),
  c("category", "fiction", category("Fiction")),
  c("category", "bedding", category("Bedding")),
  c("category", "cycling", category("Cycling")),
  c("category", "smart home", category("Smart Home")),
  c("category", "childrens books", category("Children's Books")),

  c("nonsense", "xqzvbn", null),
  c("nonsense", "asdfghjkl", null),
  c("nonsense", "qwertyuiop", null),
  c("nonsense", "zxcvbnm", null),
  c("nonsense", "blorptastic", null),
  c("nonsense", "lorem ipsum", null),
  c("nonsense", "hjkl", null),
  c("nonsense", "fnord wumpus", null),
  c("nonsense", "purple monkey dishwasher", null),
  c("nonsense", "plmokn", null),
];

/** How one engine answered one query: the ids it ranked, best first (the first ten are enough). */
export interface Answer {
  query: RelevanceCase;
  ranked: string[];
}

export interface RelevanceScores {
  queries: number;
  /** Share of real (not nonsense) queries with a wanted product first, in the top three; mean reciprocal rank over the top ten. */
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  /** Share of real queries answered with nothing at all. */
  zeroResultRate: number;
  /** Share of nonsense queries answered with any product. */
  junkRate: number;
}

/** The products a case wants; every real case must want at least one, or the set does not fit the catalogue. */
export function wantedIds(c: RelevanceCase, products: RelevanceProduct[]): Set<string> {
  return new Set(c.wanted === null ? [] : products.filter(c.wanted).map((p) => p.id));
}

/** The 1-based rank of the first wanted product in the top ten, or null. */
function firstHit(ranked: string[], wanted: Set<string>): number | null {
  const i = ranked.slice(0, 10).findIndex((id) => wanted.has(id));
  return i < 0 ? null : i + 1;
}

export function score(answers: Answer[], products: RelevanceProduct[]): RelevanceScores {
  const real = answers.filter((a) => a.query.wanted !== null);
  const nonsense = answers.filter((a) => a.query.wanted === null);
  const ranks = real.map((a) => firstHit(a.ranked, wantedIds(a.query, products)));
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  return {
    queries: answers.length,
    hitAt1: share(ranks.filter((r) => r === 1).length, real.length),
    hitAt3: share(ranks.filter((r) => r !== null && r <= 3).length, real.length),
    mrr: share(
      ranks.reduce<number>((sum, r) => sum + (r === null ? 0 : 1 / r), 0),
      real.length,
    ),
    zeroResultRate: share(real.filter((a) => a.ranked.length === 0).length, real.length),
    junkRate: share(nonsense.filter((a) => a.ranked.length > 0).length, nonsense.length),
  };
}

/** The scores per query type, in QUERY_TYPES order. */
export function scoreByType(answers: Answer[], products: RelevanceProduct[]): { type: QueryType; scores: RelevanceScores }[] {
  return QUERY_TYPES.map((type) => ({
    type,
    scores: score(
      answers.filter((a) => a.query.type === type),
      products,
    ),
  }));
}
