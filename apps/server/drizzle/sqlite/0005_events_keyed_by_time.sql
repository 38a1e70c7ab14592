-- Hand-edited after drizzle-kit: events keep their rowids as seq (subject_runs and retention rely on them), and the events of a subject that arrived in one batch (one received_at) become one run.
CREATE TABLE `subject_runs` (
	`project_id` text NOT NULL,
	`pseudonym` text NOT NULL,
	`first_seq` integer NOT NULL,
	`last_seq` integer NOT NULL,
	PRIMARY KEY(`project_id`, `pseudonym`, `first_seq`)
);
--> statement-breakpoint
CREATE INDEX `subject_runs_last` ON `subject_runs` (`last_seq`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`id` text NOT NULL,
	`pseudonym` text NOT NULL,
	`session_id` text NOT NULL,
	`type` text NOT NULL,
	`ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`name` text,
	`duration_ms` integer,
	`active_ms` integer,
	`props` text,
	`purposes` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_events`("seq", "project_id", "id", "pseudonym", "session_id", "type", "ts", "received_at", "name", "duration_ms", "active_ms", "props", "purposes") SELECT "rowid", "project_id", "id", "pseudonym", "session_id", "type", "ts", "received_at", "name", "duration_ms", "active_ms", "props", "purposes" FROM `events` ORDER BY "rowid";--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `events_key` ON `events` (`project_id`,`ts`,`id`);--> statement-breakpoint
INSERT INTO `subject_runs` ("project_id", "pseudonym", "first_seq", "last_seq") SELECT "project_id", "pseudonym", min("seq"), max("seq") FROM `events` GROUP BY "project_id", "pseudonym", "received_at";
