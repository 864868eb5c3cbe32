CREATE TABLE "changes" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"keys" text COLLATE "C" NOT NULL
);
