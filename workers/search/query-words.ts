/**
 * The first of a search's two statements: what the catalogue knows about
 * each typed word. It normalises the query as the documents are (accents,
 * case, punctuation), and for each of the first MAX_QUERY_WORDS words says
 * whether the lexicon has it and whether it is a stop word; for an unknown
 * word that may carry a typo, its trigram candidates from the lexicon (and
 * the words one transposition away); for the
 * last word, the lexicon words it is a prefix of. The synonym rules that
 * touch any of these words come along. query-plan.ts decides from this.
 */
import { type SQL, sql } from "drizzle-orm";
import { MAX_QUERY_WORDS } from "./domain.ts";
import type { SynonymRule, WordFacts } from "./query-plan.ts";

export interface QueryFacts {
  words: WordFacts[];
  synonyms: SynonymRule[];
}

/** Trigram candidates fetched per unknown word; the edit distance then chooses. */
const MAX_CANDIDATES = 30;
/** Completions fetched for the last word. */
const MAX_COMPLETIONS = 5;

/** The statement; it returns one row whose `result` column is a QueryFacts object. */
export function queryWordsStatement(q: string, language: string): SQL {
  return sql`
    with words as (
      select w, ord::int from unnest((regexp_split_to_array(search.normalize(${q}), ' '))[1:${sql.raw(String(MAX_QUERY_WORDS))}]) with ordinality as t(w, ord)
      where w <> ''
    ),
    facts as (
      select words.ord, words.w,
        exists (select 1 from search.lexicon l where l.word = words.w) as known,
        exists (select 1 from search.stop_words s where s.language = ${language} and s.word = words.w) as stop,
        words.ord = (select max(ord) from words) as last
      from words
    ),
    candidates as (
      select x.ord, x.word, max(x.similarity) as similarity,
        exists (select 1 from search.stop_words s where s.language = ${language} and s.word = x.word) as stop
      from (
        select f.ord, c.word, c.similarity from facts f cross join lateral search.typo_candidates(f.w, ${MAX_CANDIDATES}) c
        where not f.known and length(f.w) >= 4
        union all
        -- A transposition in a short word breaks most of its trigrams ("tnet" shares one with "tent"),
        -- so the words one swap away are looked up as well, each through the primary key.
        select f.ord, l.word, similarity(l.word, f.w) from facts f
        cross join lateral generate_series(1, length(f.w) - 1) as i
        join search.lexicon l on l.word = overlay(f.w placing substr(f.w, i + 1, 1) || substr(f.w, i, 1) from i for 2)
        where not f.known and length(f.w) >= 4
      ) x
      group by x.ord, x.word
    ),
    completions as (
      select f.ord, c.word from facts f
      cross join lateral (
        select l.word from search.lexicon l
        where l.word ~>=~ f.w and l.word ~<~ (f.w || chr(1114111)) and l.word <> f.w
        order by length(l.word), l.word limit ${MAX_COMPLETIONS}
      ) c
      where f.last
    ),
    vocabulary as (
      -- Singular and plural of each word, as query-plan.ts compares phrases.
      select w as word from words union select w || 's' from words union select left(w, -1) from words where w like '%s'
      union select word from candidates
    )
    select json_build_object(
      'words', coalesce((
        select json_agg(json_build_object(
          'word', f.w, 'known', f.known, 'stop', f.stop,
          'candidates', coalesce((select json_agg(json_build_object('word', c.word, 'similarity', c.similarity, 'stop', c.stop))
                                  from candidates c where c.ord = f.ord), '[]'::json),
          'completions', coalesce((select json_agg(c.word order by length(c.word), c.word) from completions c where c.ord = f.ord), '[]'::json)
        ) order by f.ord) from facts f
      ), '[]'::json),
      'synonyms', coalesce((
        select json_agg(json_build_object('term', s.term, 'synonym', s.synonym, 'twoWay', s.two_way) order by s.term, s.synonym)
        from search.synonyms s
        where s.language = ${language}
          and (string_to_array(s.term, ' ') && (select array_agg(word) from vocabulary)
            or (s.two_way and string_to_array(s.synonym, ' ') && (select array_agg(word) from vocabulary)))
      ), '[]'::json)
    ) as result`;
}
