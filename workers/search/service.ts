/** The search family's reads: the search (two statements: query-words.ts, then search-query.ts) and suggestions (suggest.ts). */
import type { Queryable } from "../platform/db.ts";
import { planQuery, type QueryPlan } from "./query-plan.ts";
import { type QueryFacts, queryWordsStatement } from "./query-words.ts";
import { type SearchInput, type SearchRows, searchStatement } from "./search-query.ts";
import { type Suggestions, suggestStatement } from "./suggest.ts";

/** How a query is read: what the catalogue knows of its words, then the plan made from that. */
export async function readQuery(db: Queryable, q: string, language: string): Promise<QueryPlan> {
  const result = await db.execute<{ result: QueryFacts }>(queryWordsStatement(q, language));
  const facts = result.rows[0]!.result;
  return planQuery(facts.words, facts.synonyms);
}

export async function runSearch(
  db: Queryable,
  input: Omit<SearchInput, "plan">,
  language = "en",
): Promise<SearchRows & { plan: QueryPlan | null }> {
  const plan = input.q === null ? null : await readQuery(db, input.q, language);
  const result = await db.execute<{ result: SearchRows }>(searchStatement({ ...input, plan }));
  return { ...result.rows[0]!.result, plan };
}

export async function suggest(db: Queryable, q: string, limit: number): Promise<Suggestions> {
  const result = await db.execute<{ result: Suggestions }>(suggestStatement(q, limit));
  return result.rows[0]!.result;
}
