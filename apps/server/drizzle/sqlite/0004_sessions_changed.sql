ALTER TABLE `sessions` ADD `changed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `sessions_changed` ON `sessions` (`changed`);