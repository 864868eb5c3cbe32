CREATE INDEX `article_authors_article_position_idx` ON `article_authors` (`article_id`,`position`,`author_id`);--> statement-breakpoint
CREATE INDEX `article_related_article_position_idx` ON `article_related` (`article_id`,`position`,`related_id`);--> statement-breakpoint
CREATE INDEX `article_tags_article_position_idx` ON `article_tags` (`article_id`,`position`,`tag_id`);