-- Search documents are kept in the table's own pages (storage MAIN: compressed if that helps, out
-- of line only when a row cannot fit a page) instead of TOAST. A document of a few hundred lexemes
-- (~2 KB, above TOAST's threshold, and pglz does not shrink it) was fetched from the TOAST table
-- every time a search tested it: ranking the newest 1,000 matches of a term tests each document
-- three times, and took twice as long as with the documents inline. Existing documents are
-- rewritten once (concatenating an empty vector makes a new, equal value, which is stored inline).
ALTER TABLE "articles_search" ALTER COLUMN "document" SET STORAGE MAIN;
--> statement-breakpoint
UPDATE "articles_search" SET "document" = "document" || ''::tsvector;
