-- Each search row carries its article's publication time while the article is published
-- (`live_at`: published_at when status = 'published', else null), so that an unfiltered search
-- ranks the newest 1,000 matches of a term from articles_search alone. It read each match's
-- article by primary key to test liveness and age: 1,000 lookups, most of that statement's time at
-- 1,000,000 articles. Kept by triggers in the writing transaction, like the document: the
-- document's trigger writes it on insert and on every content change, and a change of status or
-- publication time alone updates only this column.
ALTER TABLE "articles_search" ADD COLUMN "live_at" bigint;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION articles_search_refresh() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO articles_search (article_id, document, live_at)
  VALUES (new.id, articles_search_document(new.headline, new.standfirst, new.body),
    CASE WHEN new.status = 'published' THEN new.published_at END)
  ON CONFLICT (article_id) DO UPDATE SET document = excluded.document, live_at = excluded.live_at;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION articles_search_live() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE articles_search SET live_at = CASE WHEN new.status = 'published' THEN new.published_at END
  WHERE article_id = new.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER articles_search_live_after_update AFTER UPDATE OF status, published_at ON articles
FOR EACH ROW WHEN (old.status IS DISTINCT FROM new.status OR old.published_at IS DISTINCT FROM new.published_at)
EXECUTE FUNCTION articles_search_live();
--> statement-breakpoint
-- existing rows, once (a rewrite of every search row: about as long as 0007's)
UPDATE "articles_search" s SET "live_at" = a."published_at"
FROM "articles" a WHERE a."id" = s."article_id" AND a."status" = 'published';
