-- The statistics caches' snapshot per project, where every process finds it (schema.ts,
-- statsSnapshots). Images are compressed already where it pays (16-bit lists, bitsets), so
-- TOAST stores them without compressing again (STORAGE EXTERNAL): tens of MB at 100,000 subjects.
CREATE TABLE "stats_snapshots" (
	"project_id" text PRIMARY KEY NOT NULL,
	"image" bytea NOT NULL,
	"written_at" bigint NOT NULL
);--> statement-breakpoint
ALTER TABLE "stats_snapshots" ALTER COLUMN "image" SET STORAGE EXTERNAL;
