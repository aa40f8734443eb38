/**
 * The admin-managed relevance rules: synonyms, stop words and pinned or
 * boosted products per query. Terms, words and queries are stored normalised
 * (search.normalize, as queries are read), so a rule applies however the
 * shopper capitalises or accents the words.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { SearchErrors } from "./errors.ts";

export interface SynonymView {
  id: string;
  language: string;
  term: string;
  synonym: string;
  twoWay: boolean;
  createdAt: string;
}

export interface StopWordView {
  language: string;
  word: string;
  createdAt: string;
}

export type MerchandisingInput = { query: string; productId: string } & (
  | { kind: "pin"; position: number }
  | { kind: "boost"; boost: number }
);

export interface MerchandisingView {
  id: string;
  query: string;
  productId: string;
  kind: "pin" | "boost";
  position: number | null;
  boost: number | null;
  createdAt: string;
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(ErrorCode.VALIDATION_FAILED, "The request is not valid", { errors: [{ field, message }] });
}

/** Each text in normal form; a text that normalises to nothing (only punctuation, say) is refused for its field. */
async function normalized<K extends string>(db: Queryable, texts: Record<K, string>): Promise<Record<K, string>> {
  const fields = Object.keys(texts) as K[];
  const result = await db.execute<{ field: string; value: string }>(sql`
    select f as field, coalesce(search.normalize(t), '') as value from unnest(${sql.param(fields)}::text[], ${sql.param(fields.map((f) => texts[f]))}::text[]) as x(f, t)`);
  const out = Object.fromEntries(result.rows.map((r) => [r.field, r.value])) as Record<K, string>;
  for (const field of fields) if (!out[field]) throw invalid(`body.${field}`, "must contain a letter or digit");
  return out;
}

const iso = (v: unknown) => new Date(v as string).toISOString();

export async function listSynonyms(db: Queryable, language: string): Promise<SynonymView[]> {
  const result = await db.execute<{
    id: string;
    language: string;
    term: string;
    synonym: string;
    two_way: boolean;
    created_at: string;
  }>(sql`
    select id, language, term, synonym, two_way, created_at from search.synonyms where language = ${language} order by term, synonym`);
  return result.rows.map((r) => ({
    id: r.id,
    language: r.language,
    term: r.term,
    synonym: r.synonym,
    twoWay: r.two_way,
    createdAt: iso(r.created_at),
  }));
}

export async function addSynonym(
  db: Queryable,
  input: { term: string; synonym: string; twoWay: boolean; language: string },
): Promise<SynonymView> {
  const { term, synonym } = await normalized(db, { term: input.term, synonym: input.synonym });
  if (term === synonym) throw invalid("body.synonym", "must differ from the term");
  const result = await db.execute<{ id: string; created_at: string }>(sql`
    insert into search.synonyms (id, language, term, synonym, two_way)
    values (${newId("syn")}, ${input.language}, ${term}, ${synonym}, ${input.twoWay})
    on conflict do nothing returning id, created_at`);
  const row = result.rows[0];
  if (!row) throw new ApiError(SearchErrors.SEARCH_RULE_EXISTS, `"${term}" already has the synonym "${synonym}"`);
  return { id: row.id, language: input.language, term, synonym, twoWay: input.twoWay, createdAt: iso(row.created_at) };
}

export async function deleteSynonym(db: Queryable, id: string): Promise<void> {
  const result = await db.execute(sql`delete from search.synonyms where id = ${id} returning id`);
  if (result.rows.length === 0) throw notFound("synonym");
}

export async function listStopWords(db: Queryable, language: string): Promise<StopWordView[]> {
  const result = await db.execute<{ language: string; word: string; created_at: string }>(sql`
    select language, word, created_at from search.stop_words where language = ${language} order by word`);
  return result.rows.map((r) => ({ language: r.language, word: r.word, createdAt: iso(r.created_at) }));
}

export async function addStopWord(db: Queryable, input: { language: string; word: string }): Promise<StopWordView> {
  const { word } = await normalized(db, { word: input.word });
  if (word.includes(" ")) throw invalid("body.word", "must be a single word");
  const result = await db.execute<{ created_at: string }>(sql`
    insert into search.stop_words (language, word) values (${input.language}, ${word}) on conflict do nothing returning created_at`);
  const row = result.rows[0];
  if (!row) throw new ApiError(SearchErrors.SEARCH_RULE_EXISTS, `"${word}" is already a stop word`);
  return { language: input.language, word, createdAt: iso(row.created_at) };
}

export async function deleteStopWord(db: Queryable, language: string, word: string): Promise<void> {
  const result = await db.execute(sql`
    delete from search.stop_words where language = ${language} and word = search.normalize(${word}) returning word`);
  if (result.rows.length === 0) throw notFound("stop word");
}

const toMerchandising = (r: Record<string, unknown>): MerchandisingView => ({
  id: r.id as string,
  query: r.query as string,
  productId: r.product_id as string,
  kind: r.kind as "pin" | "boost",
  position: (r.position as number | null) ?? null,
  boost: (r.boost as number | null) ?? null,
  createdAt: iso(r.created_at),
});

export async function listMerchandising(db: Queryable, query: string | undefined): Promise<MerchandisingView[]> {
  const result = await db.execute(sql`
    select id, query, product_id, kind, position, boost, created_at from search.merchandising
    ${query === undefined ? sql`` : sql`where query = search.normalize(${query})`}
    order by query, kind desc, position nulls last, boost desc nulls last, product_id limit 500`);
  return result.rows.map(toMerchandising);
}

/** A rule for a product the search projection has (any status: a pin waits while its product is inactive). */
export async function addMerchandising(db: Queryable, input: MerchandisingInput): Promise<MerchandisingView> {
  const { query } = await normalized(db, { query: input.query });
  const known = await db.execute(sql`select 1 from search.documents where product_id = ${input.productId} and status <> 'deleted'`);
  if (known.rows.length === 0) throw notFound("product");
  const result = await db.execute(sql`
    insert into search.merchandising (id, query, product_id, kind, position, boost)
    values (${newId("smr")}, ${query}, ${input.productId}, ${input.kind},
      ${input.kind === "pin" ? input.position : null}, ${input.kind === "boost" ? input.boost : null})
    on conflict do nothing returning id, query, product_id, kind, position, boost, created_at`);
  const row = result.rows[0];
  if (!row) throw new ApiError(SearchErrors.SEARCH_RULE_EXISTS, `The product already has a rule for "${query}"`);
  return toMerchandising(row);
}

export async function deleteMerchandising(db: Queryable, id: string): Promise<void> {
  const result = await db.execute(sql`delete from search.merchandising where id = ${id} returning id`);
  if (result.rows.length === 0) throw notFound("merchandising rule");
}
