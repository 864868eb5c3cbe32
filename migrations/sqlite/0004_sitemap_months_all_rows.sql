-- The sitemap index's partial index (0003) stated updated_at >= 0, so articles last edited before
-- 1970 (imported archives) were missing from the month list and lastmod. The new condition holds for
-- every row (the smallest 64-bit integer) and is still stated only by the sitemap queries.
DROP INDEX `articles_sitemap_idx`;--> statement-breakpoint
CREATE INDEX `articles_sitemap_months_idx` ON `articles` (`published_at`,`updated_at`) WHERE status = 'published' and updated_at >= -9223372036854775808;