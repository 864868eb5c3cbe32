CREATE TABLE `sync_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`article_id` integer NOT NULL,
	`slug` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_log_article_seq_idx` ON `sync_log` (`article_id`,`seq`);--> statement-breakpoint
CREATE INDEX `sync_log_at_idx` ON `sync_log` (`at`);