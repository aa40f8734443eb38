/** The search family's reads: each one statement, built in search-query.ts and suggest.ts. */
import type { Queryable } from "../platform/db.ts";
import { type SearchInput, type SearchRows, searchStatement } from "./search-query.ts";
import { type Suggestions, suggestStatement } from "./suggest.ts";

export async function runSearch(db: Queryable, input: SearchInput): Promise<SearchRows> {
  const result = await db.execute<{ result: SearchRows }>(searchStatement(input));
  return result.rows[0]!.result;
}

export async function suggest(db: Queryable, q: string, limit: number): Promise<Suggestions> {
  const result = await db.execute<{ result: Suggestions }>(suggestStatement(q, limit));
  return result.rows[0]!.result;
}
