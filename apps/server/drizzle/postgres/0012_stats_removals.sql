-- The removals that raised projects.stats_epoch, one row per step (schema.ts, statsRemovals):
-- every process's statistics caches apply them instead of filling again. Generated; the
-- statements drizzle-kit added for the hand-written migrations 0010 and 0011 (already in the
-- database) were taken out, and this migration's snapshot now includes what they made.
CREATE TABLE "stats_removals" (
	"project_id" text NOT NULL,
	"epoch" integer NOT NULL,
	"ledger_seq" bigint,
	"removal" text NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "stats_removals_project_id_epoch_pk" PRIMARY KEY("project_id","epoch")
);
