PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_aggregates` (
	`project_id` text NOT NULL,
	`purpose` text NOT NULL,
	`grain` text NOT NULL,
	`bucket` integer NOT NULL,
	`metric` text NOT NULL,
	`dim` text DEFAULT '' NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`project_id`, `purpose`, `grain`, `metric`, `bucket`, `dim`)
);
--> statement-breakpoint
INSERT INTO `__new_aggregates`("project_id", "purpose", "grain", "bucket", "metric", "dim", "value") SELECT "project_id", "purpose", "grain", "bucket", "metric", "dim", "value" FROM `aggregates`;--> statement-breakpoint
DROP TABLE `aggregates`;--> statement-breakpoint
ALTER TABLE `__new_aggregates` RENAME TO `aggregates`;--> statement-breakpoint
PRAGMA foreign_keys=ON;