-- Hand-edited after drizzle-kit: requests answered before the request lifecycle are 'completed', with their one-month due date as the original one.
CREATE TABLE `ledger_checkpoints` (
	`project_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL,
	`pruned` integer NOT NULL,
	`at` integer NOT NULL,
	`key_id` text NOT NULL,
	`seal` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `policy_versions` (
	`hash` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`version` text NOT NULL,
	`document` text NOT NULL,
	`archived_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `policy_versions_line` ON `policy_versions` (`project_id`,`version`);--> statement-breakpoint
ALTER TABLE `projects` ADD `policy_hash` text;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `state` text DEFAULT 'received' NOT NULL;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `original_due_at` integer;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `extension_reason` text;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `notice_at` integer;--> statement-breakpoint
ALTER TABLE `rights_requests` ADD `refusal_ground` text;--> statement-breakpoint
ALTER TABLE `subjects` ADD `corrected` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `subjects` ADD `hold_ground` text;--> statement-breakpoint
ALTER TABLE `subjects` ADD `hold_reason` text;--> statement-breakpoint
ALTER TABLE `subjects` ADD `hold_until` integer;--> statement-breakpoint
UPDATE `rights_requests` SET `state` = 'completed' WHERE `completed_at` IS NOT NULL;--> statement-breakpoint
UPDATE `rights_requests` SET `original_due_at` = `due_at`;
