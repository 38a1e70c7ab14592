-- The statistics caches' snapshot per project, where every process finds it (schema.ts,
-- statsSnapshots), in parts of 1 MiB: each part one statement to write (the server's event
-- loop and the database get a turn between parts) and one row to read. Images are packed
-- already (16-bit lists, bitsets), so TOAST stores the parts without compressing them again.
CREATE TABLE "stats_snapshots" (
	"project_id" text NOT NULL,
	"part" integer NOT NULL,
	"bytes" bytea NOT NULL,
	"written_at" bigint NOT NULL,
	CONSTRAINT "stats_snapshots_project_id_part_pk" PRIMARY KEY("project_id","part")
);--> statement-breakpoint
ALTER TABLE "stats_snapshots" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;
