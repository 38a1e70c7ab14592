-- Hand-written. Retention finds raw events by arrival (`received_at`), a few times a day; every
-- ingested event paid for a b-tree entry of it. Events arrive in time order, so a partition's
-- pages already lie in `received_at` order and a BRIN index (one summary per 128 pages, no
-- entry per row) finds the same rows for retention while costing inserts next to nothing.
DROP INDEX IF EXISTS "events_received";--> statement-breakpoint
CREATE INDEX "events_received" ON "events" USING brin ("received_at");
