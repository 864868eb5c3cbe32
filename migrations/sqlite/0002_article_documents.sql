CREATE TABLE `article_documents` (
	`article_id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`live_from` integer NOT NULL,
	`stale_at` integer,
	`etag` text NOT NULL,
	`last_modified` text,
	`surrogate_key` text,
	`content_type` text NOT NULL,
	`vary` text,
	`identity` blob NOT NULL,
	`br` blob,
	`gzip` blob,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `article_documents_slug_unique` ON `article_documents` (`slug`);--> statement-breakpoint
CREATE TABLE `content_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`v` integer DEFAULT 0 NOT NULL,
	`render_fingerprint` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
INSERT INTO `content_version` (`id`, `v`, `render_fingerprint`) VALUES (1, 0, '');
--> statement-breakpoint
-- Triggers keep article_documents exact for every writer (management API, CLI import, another
-- process, raw SQL), in the writer's own transaction: each write a delivery article reads deletes the
-- documents it affects and bumps content_version (a render that started before the write then does
-- not store its document). The delivery article reads articles, sections, tags, authors,
-- article_tags, article_authors and article_related (see articles/repository.ts).
-- An article edited, published, unpublished, rescheduled or deleted: its own document and those of
-- the articles that list it as related (their relatedIds).
CREATE TRIGGER `article_documents_article_update` AFTER UPDATE ON `articles` BEGIN
  DELETE FROM article_documents WHERE article_id IN (old.id, new.id)
    OR article_id IN (SELECT article_id FROM article_related WHERE related_id IN (old.id, new.id));
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_article_delete` AFTER DELETE ON `articles` BEGIN
  DELETE FROM article_documents WHERE article_id = old.id
    OR article_id IN (SELECT article_id FROM article_related WHERE related_id = old.id);
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_tags_insert` AFTER INSERT ON `article_tags` BEGIN
  DELETE FROM article_documents WHERE article_id = new.article_id;
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_tags_update` AFTER UPDATE ON `article_tags` BEGIN
  DELETE FROM article_documents WHERE article_id IN (old.article_id, new.article_id);
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_tags_delete` AFTER DELETE ON `article_tags` BEGIN
  DELETE FROM article_documents WHERE article_id = old.article_id;
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_authors_insert` AFTER INSERT ON `article_authors` BEGIN
  DELETE FROM article_documents WHERE article_id = new.article_id;
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_authors_update` AFTER UPDATE ON `article_authors` BEGIN
  DELETE FROM article_documents WHERE article_id IN (old.article_id, new.article_id);
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_authors_delete` AFTER DELETE ON `article_authors` BEGIN
  DELETE FROM article_documents WHERE article_id = old.article_id;
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_related_insert` AFTER INSERT ON `article_related` BEGIN
  DELETE FROM article_documents WHERE article_id = new.article_id;
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_related_update` AFTER UPDATE ON `article_related` BEGIN
  DELETE FROM article_documents WHERE article_id IN (old.article_id, new.article_id);
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_related_delete` AFTER DELETE ON `article_related` BEGIN
  DELETE FROM article_documents WHERE article_id = old.article_id;
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
-- Tag and author edits reach the articles linked to them (a linked tag or author cannot be deleted:
-- the link restricts it, but the trigger does not rely on that).
CREATE TRIGGER `article_documents_tag_update` AFTER UPDATE ON `tags` BEGIN
  DELETE FROM article_documents WHERE article_id IN (SELECT article_id FROM article_tags WHERE tag_id IN (old.id, new.id));
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_tag_delete` AFTER DELETE ON `tags` BEGIN
  DELETE FROM article_documents WHERE article_id IN (SELECT article_id FROM article_tags WHERE tag_id = old.id);
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_author_update` AFTER UPDATE ON `authors` BEGIN
  DELETE FROM article_documents WHERE article_id IN (SELECT article_id FROM article_authors WHERE author_id IN (old.id, new.id));
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_author_delete` AFTER DELETE ON `authors` BEGIN
  DELETE FROM article_documents WHERE article_id IN (SELECT article_id FROM article_authors WHERE author_id = old.id);
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
-- Sections: a rename or move changes the section, url and breadcrumbs of the articles in the section
-- and everything below it (paths are `parent/child`, so the subtree is the paths under old.path or
-- new.path). A new section changes no existing article, so inserts need no trigger.
CREATE TRIGGER `article_documents_section_update` AFTER UPDATE ON `sections` BEGIN
  DELETE FROM article_documents WHERE article_id IN (
    SELECT a.id FROM sections s JOIN articles a ON a.section_id = s.id
    WHERE s.id IN (old.id, new.id)
      OR substr(s.path, 1, length(old.path) + 1) = old.path || '/'
      OR substr(s.path, 1, length(new.path) + 1) = new.path || '/');
  UPDATE content_version SET v = v + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `article_documents_section_delete` AFTER DELETE ON `sections` BEGIN
  DELETE FROM article_documents WHERE article_id IN (
    SELECT a.id FROM sections s JOIN articles a ON a.section_id = s.id
    WHERE s.id = old.id OR substr(s.path, 1, length(old.path) + 1) = old.path || '/');
  UPDATE content_version SET v = v + 1;
END;
