PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
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
	`purposes` text NOT NULL,
	PRIMARY KEY(`project_id`, `ts`, `id`)
);
--> statement-breakpoint
INSERT INTO `__new_events`("project_id", "id", "pseudonym", "session_id", "type", "ts", "received_at", "name", "duration_ms", "active_ms", "props", "purposes") SELECT "project_id", "id", "pseudonym", "session_id", "type", "ts", "received_at", "name", "duration_ms", "active_ms", "props", "purposes" FROM `events` ORDER BY rowid;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `events_subject` ON `events` (`project_id`,`pseudonym`);