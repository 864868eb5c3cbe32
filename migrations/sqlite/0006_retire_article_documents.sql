-- Article documents are retired: GET /v1/articles/{slug} renders from the articles tables on every
-- read and writes nothing (src/articles/fast-render.ts). The triggers of 0002 go first, then the tables.
DROP TRIGGER IF EXISTS `article_documents_article_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_article_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_tags_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_tags_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_tags_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_authors_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_authors_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_authors_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_related_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_related_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_related_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_tag_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_tag_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_author_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_author_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_section_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `article_documents_section_delete`;--> statement-breakpoint
DROP TABLE `article_documents`;--> statement-breakpoint
DROP TABLE `content_version`;