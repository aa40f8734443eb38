-- Typo correction draws candidates from the lexicon by trigram similarity and
-- then chooses among them by Damerau-Levenshtein distance (in the Worker). A
-- transposed word shares few trigrams with the right one ("aciton" and
-- "action" score 0.27, under pg_trgm's default 0.3), so candidates are taken
-- down to 0.2; the threshold is set for this function's calls only, which
-- lets `%` keep using the lexicon's trigram index.
CREATE FUNCTION search.typo_candidates(typed text, max_candidates int) RETURNS TABLE (word text, similarity real)
  LANGUAGE sql STABLE PARALLEL SAFE STRICT
  SET pg_trgm.similarity_threshold = 0.2
BEGIN ATOMIC
  SELECT l.word, public.similarity(l.word, typed) FROM search.lexicon l
  WHERE l.word OPERATOR(public.%) typed
  ORDER BY 2 DESC, l.word
  LIMIT max_candidates;
END;--> statement-breakpoint

-- Completions of a half-typed last word: a range over the words in byte order.
CREATE INDEX lexicon_word_prefix_idx ON search.lexicon (word text_pattern_ops);--> statement-breakpoint

-- The English stop-word list that queries start with; admins edit it (and add
-- other languages) through the API.
INSERT INTO search.stop_words (language, word)
SELECT 'en', w FROM unnest(ARRAY[
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'into', 'is', 'it', 'its',
  'of', 'on', 'or', 'that', 'the', 'this', 'to', 'with', 'your', 'my', 'our', 'some', 'any'
]) AS w;
