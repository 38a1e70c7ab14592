CREATE TABLE `activity` (
	`project_id` text NOT NULL,
	`purpose` text NOT NULL,
	`grain` text NOT NULL,
	`bucket` integer NOT NULL,
	`pseudonym` text NOT NULL,
	PRIMARY KEY(`project_id`, `purpose`, `grain`, `bucket`, `pseudonym`)
);
--> statement-breakpoint
CREATE INDEX `activity_subject` ON `activity` (`project_id`,`pseudonym`);--> statement-breakpoint
CREATE TABLE `aggregates` (
	`project_id` text NOT NULL,
	`purpose` text NOT NULL,
	`grain` text NOT NULL,
	`bucket` integer NOT NULL,
	`metric` text NOT NULL,
	`dim` text DEFAULT '' NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`project_id`, `purpose`, `grain`, `bucket`, `metric`, `dim`)
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`hash` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_project` ON `api_keys` (`project_id`);--> statement-breakpoint
CREATE TABLE `consent_ledger` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`pseudonym` text NOT NULL,
	`action` text NOT NULL,
	`policy_version` text NOT NULL,
	`detail` text NOT NULL,
	`at` integer NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consent_ledger_subject` ON `consent_ledger` (`project_id`,`pseudonym`);--> statement-breakpoint
CREATE TABLE `events` (
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
	PRIMARY KEY(`project_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `events_subject` ON `events` (`project_id`,`pseudonym`);--> statement-breakpoint
CREATE INDEX `events_received` ON `events` (`received_at`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rights_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`pseudonym` text NOT NULL,
	`kind` text NOT NULL,
	`via` text NOT NULL,
	`received_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`completed_at` integer,
	`outcome` text
);
--> statement-breakpoint
CREATE INDEX `rights_requests_project` ON `rights_requests` (`project_id`,`due_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`project_id` text NOT NULL,
	`session_id` text NOT NULL,
	`pseudonym` text NOT NULL,
	`started_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`ended_at` integer,
	`active_ms` integer DEFAULT 0 NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`project_id`, `session_id`)
);
--> statement-breakpoint
CREATE INDEX `sessions_subject` ON `sessions` (`project_id`,`pseudonym`);--> statement-breakpoint
CREATE TABLE `subjects` (
	`project_id` text NOT NULL,
	`pseudonym` text NOT NULL,
	`key_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`token_hash` text,
	`tz` text,
	`device` text,
	`consent_version` text,
	`consent_granted` text DEFAULT '[]' NOT NULL,
	`consent_withdrawn` integer DEFAULT false NOT NULL,
	`consent_at` integer,
	`objected` text DEFAULT '[]' NOT NULL,
	`restricted` integer DEFAULT false NOT NULL,
	`erased` integer DEFAULT false NOT NULL,
	`last_seen_at` integer,
	PRIMARY KEY(`project_id`, `pseudonym`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subjects_token` ON `subjects` (`token_hash`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`project_id` text NOT NULL,
	`day` integer NOT NULL,
	`reason` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`project_id`, `day`, `reason`)
);
