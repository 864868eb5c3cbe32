CREATE TABLE "sync_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"article_id" integer NOT NULL,
	"slug" text COLLATE "C" NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sync_log_article_seq_idx" ON "sync_log" USING btree ("article_id","seq");--> statement-breakpoint
CREATE INDEX "sync_log_at_idx" ON "sync_log" USING btree ("at");