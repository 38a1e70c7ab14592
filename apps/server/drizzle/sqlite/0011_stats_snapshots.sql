-- The statistics caches' snapshots move into the database (src/store/sqlite/stats-snapshots.ts):
-- a snapshot then travels with the file it describes, and a rewrite zeroes the old one's pages.
-- The store moves the files of the folder it used before into this table when it opens.
CREATE TABLE `stats_snapshots` (
	`project_id` text NOT NULL,
	`part` integer NOT NULL,
	`bytes` blob NOT NULL,
	`written_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `part`)
);
