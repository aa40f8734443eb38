-- Full-text search, typo correction and suggestions: the SQL functions, the
-- text search configuration, the generated columns and the indexes that the
-- drizzle schema cannot express. The extensions (unaccent, pg_trgm) live in
-- `public`, where the database family's migration created them.

-- unaccent(text) is only STABLE (it reads the dictionary named by the search
-- path), so it may not appear in a generated column or an index. Naming the
-- dictionary makes the result depend on the argument alone, which is what
-- IMMUTABLE promises. Being IMMUTABLE over a STABLE body also keeps the planner
-- from inlining it, so index expressions and queries match.
CREATE FUNCTION search.immutable_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN public.unaccent('public.unaccent'::regdictionary, $1);--> statement-breakpoint

-- One normal form for names and queries: no accents, lower case, every run of
-- punctuation or spaces one space. Exact-match ranking, trigram matching and
-- the zero-result report all compare in this form.
CREATE FUNCTION search.normalize(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN btrim(regexp_replace(lower(search.immutable_unaccent($1)), '[^[:alnum:]]+', ' ', 'g'));--> statement-breakpoint

-- The words of a text that the lexicon keeps: normalised, three letters or more.
CREATE FUNCTION search.lexicon_words(text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
BEGIN ATOMIC
  SELECT DISTINCT w FROM regexp_split_to_table(search.normalize($1), ' ') AS w WHERE length(w) >= 3;
END;--> statement-breakpoint

-- English stemming over unaccented words, for ts_headline: it highlights
-- "Café" in the stored text for a query typed as "cafe".
CREATE TEXT SEARCH CONFIGURATION search.english_unaccent (COPY = pg_catalog.english);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION search.english_unaccent
  ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem;--> statement-breakpoint

ALTER TABLE search.documents ADD COLUMN name_norm text
  GENERATED ALWAYS AS (search.normalize(name)) STORED;--> statement-breakpoint

-- The weighted document: name A, brand and category B, description C.
ALTER TABLE search.documents ADD COLUMN document tsvector GENERATED ALWAYS AS (
     setweight(to_tsvector('english'::regconfig, search.immutable_unaccent(name)), 'A')
  || setweight(to_tsvector('english'::regconfig, search.immutable_unaccent(coalesce(brand_name, '') || ' ' || coalesce(category_name, ''))), 'B')
  || setweight(to_tsvector('english'::regconfig, search.immutable_unaccent(description)), 'C')
) STORED;--> statement-breakpoint

-- Partial indexes: only active products are ever searched, and every search
-- query says `status = 'active'` literally so the planner can use them.
CREATE INDEX documents_active_document_idx ON search.documents USING gin (document) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX documents_active_name_trgm_idx ON search.documents USING gin (name_norm public.gin_trgm_ops) WHERE status = 'active';--> statement-breakpoint
-- Browsing without a query: the total and the facets (values and labels) are
-- counted from this index alone (index-only scans), for a category or for all.
CREATE INDEX documents_active_category_idx ON search.documents (category_key text_pattern_ops)
  INCLUDE (category_path, category_name, brand_slug, brand_name, price_min_minor, rating_average, in_stock) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX documents_active_brand_prefix_idx ON search.documents (search.normalize(brand_name) text_pattern_ops) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX documents_active_category_prefix_idx ON search.documents (search.normalize(category_name) text_pattern_ops) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX lexicon_word_trgm_idx ON search.lexicon USING gin (word public.gin_trgm_ops);
