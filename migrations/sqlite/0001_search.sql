-- Full-text search over articles: an FTS5 table keyed by the article id (rowid), kept in step by
-- triggers so that every writer (management API, imports, demo content, raw SQL) is covered in the
-- same transaction. Drafts are indexed too; delivery filters by liveness at query time.
-- The body text is extracted from the JSON blocks: text, list items, image captions and alt text,
-- embed titles and quote attributions.
CREATE VIRTUAL TABLE `articles_fts` USING fts5(
  headline, standfirst, body_text,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `articles_fts_after_insert` AFTER INSERT ON `articles` BEGIN
  INSERT INTO articles_fts (rowid, headline, standfirst, body_text) VALUES (
    new.id, new.headline, coalesce(new.standfirst, ''),
    (SELECT coalesce(group_concat(part, char(10)), '') FROM (
      SELECT concat_ws(' ', json_extract(b.value, '$.text'), json_extract(b.value, '$.caption'),
        json_extract(b.value, '$.alt'), json_extract(b.value, '$.title'), json_extract(b.value, '$.attribution'),
        (SELECT group_concat(i.value, ' ') FROM json_each(b.value, '$.items') i)) AS part
      FROM json_each(CASE WHEN json_valid(new.body) AND json_type(new.body) = 'array' THEN new.body ELSE '[]' END) b
      ORDER BY b.key))
  );
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_after_update` AFTER UPDATE OF id, headline, standfirst, body ON `articles` BEGIN
  DELETE FROM articles_fts WHERE rowid = old.id;
  INSERT INTO articles_fts (rowid, headline, standfirst, body_text) VALUES (
    new.id, new.headline, coalesce(new.standfirst, ''),
    (SELECT coalesce(group_concat(part, char(10)), '') FROM (
      SELECT concat_ws(' ', json_extract(b.value, '$.text'), json_extract(b.value, '$.caption'),
        json_extract(b.value, '$.alt'), json_extract(b.value, '$.title'), json_extract(b.value, '$.attribution'),
        (SELECT group_concat(i.value, ' ') FROM json_each(b.value, '$.items') i)) AS part
      FROM json_each(CASE WHEN json_valid(new.body) AND json_type(new.body) = 'array' THEN new.body ELSE '[]' END) b
      ORDER BY b.key))
  );
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_after_delete` AFTER DELETE ON `articles` BEGIN
  DELETE FROM articles_fts WHERE rowid = old.id;
END;
--> statement-breakpoint
INSERT INTO articles_fts (rowid, headline, standfirst, body_text)
SELECT a.id, a.headline, coalesce(a.standfirst, ''),
  (SELECT coalesce(group_concat(part, char(10)), '') FROM (
    SELECT concat_ws(' ', json_extract(b.value, '$.text'), json_extract(b.value, '$.caption'),
      json_extract(b.value, '$.alt'), json_extract(b.value, '$.title'), json_extract(b.value, '$.attribution'),
      (SELECT group_concat(i.value, ' ') FROM json_each(b.value, '$.items') i)) AS part
    FROM json_each(CASE WHEN json_valid(a.body) AND json_type(a.body) = 'array' THEN a.body ELSE '[]' END) b
    ORDER BY b.key))
FROM articles a;
