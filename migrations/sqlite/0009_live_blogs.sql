CREATE TABLE `entry_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `entry_events_article_idx` ON `entry_events` (`article_id`,`id`);--> statement-breakpoint
CREATE TABLE `live_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`headline` text,
	`body` text DEFAULT '[]' NOT NULL,
	`key_event` integer DEFAULT 0 NOT NULL,
	`pinned` integer DEFAULT 0 NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `live_entries_article_created_idx` ON `live_entries` (`article_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `live_entries_article_updated_idx` ON `live_entries` (`article_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `live_entries_article_key_idx` ON `live_entries` (`article_id`,`key_event`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `live_entries_article_pinned_idx` ON `live_entries` (`article_id`,`pinned`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `live_entry_authors` (
	`entry_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`entry_id`, `author_id`),
	FOREIGN KEY (`entry_id`) REFERENCES `live_entries`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `authors`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `live_entry_authors_author_idx` ON `live_entry_authors` (`author_id`);--> statement-breakpoint
CREATE TABLE `live_entry_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`snapshot` text NOT NULL,
	`key_name` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entry_id`) REFERENCES `live_entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `live_entry_revisions_entry_revision_unique` ON `live_entry_revisions` (`entry_id`,`revision`);--> statement-breakpoint
ALTER TABLE `articles` ADD `live` integer;