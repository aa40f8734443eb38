/**
 * `npx tsx scripts/bench/search-relevance.ts [--products 300] [--verbose]`
 *
 * Search relevance on the relevance set (workers/search/relevance-set.ts):
 * hit@1, hit@3, MRR, zero-result rate and the share of nonsense queries
 * answered with products, overall and per query type, for this search and
 * for two in-process JavaScript engines with typo tolerance indexing the same
 * products with the same field boosts.
 *
 * - ours: the demo catalogue written into the search projection of a
 *   throwaway Postgres with the indexer's upsert, the relevance set's synonym
 *   rules added as an admin would, and each query run as the Worker runs it
 *   (query-words.ts, query-plan.ts, then the search statement), top ten.
 * - MiniSearch and Orama: the same active products, fields name, brand,
 *   category and description boosted 5 : 2 : 2 : 1 (the ratio of the
 *   projection's weights A 1.0, B 0.4, C 0.2), accents folded, and each in
 *   two typo-tolerant settings: MiniSearch with prefix and fuzzy 0.2, words
 *   combined with OR (its default) or AND; Orama with tolerance 1 or 2. They
 *   have no synonym rules, so the table also gives the scores without the
 *   synonym queries.
 */
import { parseArgs } from "node:util";
import { create, insertMultiple, search as oramaSearch } from "@orama/orama";
import { drizzle } from "drizzle-orm/node-postgres";
import MiniSearch from "minisearch";
import pg from "pg";
import { generateDemoData } from "../../db/seed/demo-data.ts";
import { planQuery } from "../../workers/search/query-plan.ts";
import { type QueryFacts, queryWordsStatement } from "../../workers/search/query-words.ts";
import {
  type Answer,
  QUERY_TYPES,
  RELEVANCE_CASES,
  RELEVANCE_SYNONYMS,
  type RelevanceProduct,
  type RelevanceScores,
  score,
  wantedIds,
} from "../../workers/search/relevance-set.ts";
import { type SearchRows, searchStatement } from "../../workers/search/search-query.ts";
import { migrateDatabase } from "../local/migrate.ts";
import { startStack } from "../local/stack.ts";
import { load, toSnapshots } from "./search-data.ts";

const { values: args } = parseArgs({
  options: { products: { type: "string", default: "300" }, verbose: { type: "boolean", default: false } },
});
const PRODUCTS = Number(args.products);

const BOOST = { name: 5, brand: 2, category: 2, description: 1 };
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
type Engine = { name: string; rank: (q: string) => Promise<string[]> | string[] };

function miniSearch(products: RelevanceProduct[], combineWith: "OR" | "AND"): Engine {
  const index = new MiniSearch<RelevanceProduct>({
    fields: ["name", "brand", "category", "description"],
    processTerm: (term) => fold(term),
    searchOptions: { boost: BOOST, prefix: true, fuzzy: 0.2, combineWith },
  });
  index.addAll(products);
  return {
    name: `MiniSearch (prefix, fuzzy 0.2, ${combineWith})`,
    rank: (q) =>
      index
        .search(q)
        .slice(0, 10)
        .map((r) => r.id as string),
  };
}

async function orama(products: RelevanceProduct[], tolerance: number): Promise<Engine> {
  const db = create({ schema: { id: "string", name: "string", brand: "string", category: "string", description: "string" } as const });
  await insertMultiple(db, products);
  return {
    name: `Orama (tolerance ${tolerance})`,
    rank: async (q) => {
      const r = await oramaSearch(db, {
        term: fold(q),
        properties: ["name", "brand", "category", "description"],
        boost: BOOST,
        tolerance,
        limit: 10,
      });
      return r.hits.map((h) => h.document.id);
    },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
const row = (label: string, s: RelevanceScores) =>
  `  ${label.padEnd(42)} ${pct(s.hitAt1)} ${pct(s.hitAt3)} ${s.mrr.toFixed(3).padStart(7)} ${pct(s.zeroResultRate)} ${pct(s.junkRate)}`;
const HEADER = `  ${"engine".padEnd(42)} ${"hit@1".padStart(7)} ${"hit@3".padStart(7)} ${"MRR".padStart(7)} ${"zero".padStart(7)} ${"junk".padStart(7)}`;

async function main(): Promise<void> {
  const stack = await startStack({ mode: "test" });
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  try {
    await migrateDatabase(stack.databaseUrl);
    await client.connect();
    const db = drizzle({ client });
    const data = generateDemoData({ activeProducts: PRODUCTS });
    await load(client, db, data, toSnapshots(data));
    for (const s of RELEVANCE_SYNONYMS)
      await client.query(
        "insert into search.synonyms (id, term, synonym, two_way) values ($1, search.normalize($2), search.normalize($3), $4)",
        [`syn_${s.term}`, s.term, s.synonym, s.twoWay],
      );

    const brands = new Map(data.brands.map((b) => [b.id, b.name]));
    const categories = new Map(data.categories.map((c) => [c.id, c.name]));
    const products: RelevanceProduct[] = data.products
      .filter((p) => p.status === "active")
      .map((p) => ({
        id: p.id,
        name: p.name,
        brand: brands.get(p.brandId)!,
        category: categories.get(p.categoryId)!,
        description: p.description,
      }));
    const real = RELEVANCE_CASES.filter((c) => c.wanted !== null);
    const missing = real.filter((c) => wantedIds(c, products).size === 0);
    if (missing.length > 0) throw new Error(`queries with nothing to find in this catalogue: ${missing.map((c) => c.query).join(", ")}`);
    console.log(
      `search relevance: ${RELEVANCE_CASES.length} queries (${real.length} with wanted products, ${RELEVANCE_CASES.length - real.length} nonsense) over ${products.length} active products of the demo catalogue`,
    );

    const ours: Engine = {
      name: "ours (Postgres: typos, prefix, synonyms)",
      rank: async (q) => {
        const facts = (await db.execute<{ result: QueryFacts }>(queryWordsStatement(q, "en"))).rows[0]!.result;
        const plan = planQuery(facts.words, facts.synonyms);
        const input = { q, plan, filters: { categories: [], brands: [] }, sort: "relevance" as const, page: 1, limit: 10 };
        const rows = (await db.execute<{ result: SearchRows }>(searchStatement(input))).rows[0]!.result;
        return rows.items.map((i) => i.productId);
      },
    };
    const engines = [ours, miniSearch(products, "OR"), miniSearch(products, "AND"), await orama(products, 1), await orama(products, 2)];
    const answers = new Map<string, Answer[]>();
    for (const engine of engines) {
      const list: Answer[] = [];
      for (const query of RELEVANCE_CASES) list.push({ query, ranked: await engine.rank(query.query) });
      answers.set(engine.name, list);
    }

    console.log(`\nall ${RELEVANCE_CASES.length} queries\n${HEADER}`);
    for (const e of engines) console.log(row(e.name, score(answers.get(e.name)!, products)));
    console.log(`\nwithout the synonym queries (the peers have no synonym rules)\n${HEADER}`);
    for (const e of engines)
      console.log(
        row(
          e.name,
          score(
            answers.get(e.name)!.filter((a) => a.query.type !== "synonym"),
            products,
          ),
        ),
      );
    console.log(`\nhit@3 per query type (nonsense: share answered with junk)`);
    console.log(`  ${"type".padEnd(18)}${engines.map((e) => e.name.split(" (")[0]!.padStart(12)).join("")}`);
    for (const type of QUERY_TYPES) {
      const cells = engines.map((e) => {
        const s = score(
          answers.get(e.name)!.filter((a) => a.query.type === type),
          products,
        );
        return pct(type === "nonsense" ? s.junkRate : s.hitAt3).padStart(12);
      });
      console.log(`  ${type.padEnd(18)}${cells.join("")}`);
    }
    const misses = (name: string) =>
      answers.get(name)!.filter((a) => {
        const wanted = wantedIds(a.query, products);
        return a.query.wanted === null ? a.ranked.length > 0 : !a.ranked.slice(0, 3).some((id) => wanted.has(id));
      });
    console.log(`\nours missed (no wanted product in the top three, or junk for nonsense):`);
    const names = new Map(products.map((p) => [p.id, p.name]));
    for (const a of misses(ours.name))
      console.log(
        `  [${a.query.type}] "${a.query.query}" -> ${
          a.ranked
            .slice(0, 3)
            .map((id) => names.get(id))
            .join(" | ") || "(nothing)"
        }`,
      );
    if (args.verbose)
      for (const e of engines.slice(1)) {
        console.log(`\n${e.name} missed:`);
        for (const a of misses(e.name))
          console.log(
            `  [${a.query.type}] "${a.query.query}" -> ${
              a.ranked
                .slice(0, 3)
                .map((id) => names.get(id))
                .join(" | ") || "(nothing)"
            }`,
          );
      }
    console.log(
      "\n" +
        JSON.stringify({
          products: products.length,
          queries: RELEVANCE_CASES.length,
          engines: engines.map((e) => ({
            name: e.name,
            all: score(answers.get(e.name)!, products),
            withoutSynonyms: score(
              answers.get(e.name)!.filter((a) => a.query.type !== "synonym"),
              products,
            ),
          })),
        }),
    );
  } finally {
    await client.end().catch(() => undefined);
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
