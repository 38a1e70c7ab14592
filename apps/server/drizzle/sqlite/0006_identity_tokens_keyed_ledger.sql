-- Hand-edited after drizzle-kit: existing subject tokens move to subject_tokens (an id each, channel 'legacy'), every existing ledger gets its head, and projects from before identity verification start in 'report' mode (new ones enforce).
CREATE TABLE `identity_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`salt` text NOT NULL,
	`master_key_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `identity_secrets_project` ON `identity_secrets` (`project_id`);--> statement-breakpoint
CREATE TABLE `ledger_heads` (
	`project_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subject_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`pseudonym` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`channel` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subject_tokens_hash` ON `subject_tokens` (`hash`);--> statement-breakpoint
CREATE INDEX `subject_tokens_subject` ON `subject_tokens` (`project_id`,`pseudonym`);--> statement-breakpoint
INSERT INTO `subject_tokens` (`id`, `project_id`, `pseudonym`, `hash`, `created_at`, `channel`) SELECT 'tk_' || lower(hex(randomblob(6))), `project_id`, `pseudonym`, `token_hash`, `created_at`, 'legacy' FROM `subjects` WHERE `token_hash` IS NOT NULL;--> statement-breakpoint
DROP INDEX `subjects_token`;--> statement-breakpoint
ALTER TABLE `subjects` DROP COLUMN `token_hash`;--> statement-breakpoint
ALTER TABLE `consent_ledger` ADD `policy_hash` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `consent_ledger` ADD `channel` text DEFAULT 'legacy' NOT NULL;--> statement-breakpoint
ALTER TABLE `consent_ledger` ADD `auth` text DEFAULT 'unrecorded' NOT NULL;--> statement-breakpoint
ALTER TABLE `consent_ledger` ADD `key_id` text;--> statement-breakpoint
CREATE INDEX `consent_ledger_project` ON `consent_ledger` (`project_id`,`seq`);--> statement-breakpoint
INSERT INTO `ledger_heads` (`project_id`, `seq`, `hash`) SELECT l.`project_id`, l.`seq`, l.`hash` FROM `consent_ledger` l WHERE l.`seq` = (SELECT max(m.`seq`) FROM `consent_ledger` m WHERE m.`project_id` = l.`project_id`);--> statement-breakpoint
ALTER TABLE `projects` ADD `identity_mode` text DEFAULT 'enforce' NOT NULL;--> statement-breakpoint
UPDATE `projects` SET `identity_mode` = 'report';
