CREATE TABLE `changes` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`keys` text NOT NULL
);
