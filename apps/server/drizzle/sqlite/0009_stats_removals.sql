-- The removals that raised projects.stats_epoch, one row per step (schema.ts, statsRemovals):
-- every process's statistics caches apply them instead of filling again.
CREATE TABLE `stats_removals` (
	`project_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`ledger_seq` integer,
	`removal` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `epoch`)
);
