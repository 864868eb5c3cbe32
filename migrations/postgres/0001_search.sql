-- Full-text search, PostgreSQL's counterpart of migrations/sqlite/0001_search.sql: one tsvector per
-- article (every status; delivery filters by liveness at query time) in articles_search, kept in
-- step by triggers on articles in the writing transaction, so every writer (management API,
-- imports, demo content, raw SQL) is covered. The indexed text is SQLite's: the headline, the
-- standfirst, and the body text extracted from the JSON blocks (text, caption, alt, title,
-- attribution and list items of each block, blocks one per line).
-- The text search configuration `dateline` is English (Snowball stemmer, English stop words) with
-- accents removed first (the unaccent dictionary), so `cafe` finds `café` and `Raqqa` finds `Raqqā`,
-- like SQLite's `porter unicode61 remove_diacritics 2` (which keeps stop words).
-- unaccent comes with PostgreSQL's contrib modules (Debian: postgresql-contrib) and is a trusted
-- extension: a role with CREATE on the database may create it. The migration runner checks that
-- before any migration runs (src/db/postgres/migrate.ts).
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION dateline (COPY = pg_catalog.english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION dateline ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
--> statement-breakpoint
CREATE FUNCTION articles_body_text(body jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(concat_ws(' ', b ->> 'text', b ->> 'caption', b ->> 'alt', b ->> 'title', b ->> 'attribution',
      (SELECT string_agg(i.value, ' ' ORDER BY i.n)
       FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(b -> 'items') = 'array' THEN b -> 'items' ELSE '[]'::jsonb END)
         WITH ORDINALITY AS i(value, n))),
    E'\n' ORDER BY blocks.n), '')
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(body) = 'array' THEN body ELSE '[]'::jsonb END)
    WITH ORDINALITY AS blocks(b, n)
$$;
--> statement-breakpoint
CREATE FUNCTION articles_search_document(headline text, standfirst text, body jsonb) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
  SELECT setweight(to_tsvector('dateline', coalesce(headline, '')), 'A')
    || setweight(to_tsvector('dateline', coalesce(standfirst, '')), 'B')
    || setweight(to_tsvector('dateline', articles_body_text(body)), 'C')
$$;
--> statement-breakpoint
CREATE FUNCTION articles_search_refresh() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO articles_search (article_id, document)
  VALUES (new.id, articles_search_document(new.headline, new.standfirst, new.body))
  ON CONFLICT (article_id) DO UPDATE SET document = excluded.document;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER articles_search_after_insert AFTER INSERT ON articles
FOR EACH ROW EXECUTE FUNCTION articles_search_refresh();
--> statement-breakpoint
-- only when an indexed column really changed (a publish or a word-count update leaves it alone);
-- an article's row goes with it on delete (foreign key, ON DELETE CASCADE)
CREATE TRIGGER articles_search_after_update AFTER UPDATE OF id, headline, standfirst, body ON articles
FOR EACH ROW WHEN (old.id IS DISTINCT FROM new.id OR old.headline IS DISTINCT FROM new.headline
  OR old.standfirst IS DISTINCT FROM new.standfirst OR old.body IS DISTINCT FROM new.body)
EXECUTE FUNCTION articles_search_refresh();
--> statement-breakpoint
INSERT INTO articles_search (article_id, document)
SELECT id, articles_search_document(headline, standfirst, body) FROM articles
ON CONFLICT (article_id) DO NOTHING;
