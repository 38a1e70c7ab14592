ALTER TABLE `sessions` ADD `changed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Distinct values for the rows already there: the session cache pages through them by `changed`.
UPDATE `sessions` SET `changed` = `rowid`;--> statement-breakpoint
CREATE INDEX `sessions_changed` ON `sessions` (`changed`);
