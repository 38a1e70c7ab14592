-- Hand-written. What a statistics request checks for freshness (the `subjects` counter of every
-- hour of its purposes: 9,240 rows for the features route at 12 weeks) is nearly all slot 0, the
-- folded counters of closed hours, which change only when a fold or retention rewrites them.
-- Those bump `counters_epoch`, so a process keeps slot 0 in memory while the epoch holds and
-- reads only the writer slots' rows, found by this partial index (postgres/folded-counters/).
-- Only new slot rows enter it: an update of a counter's value stays HOT.
ALTER TABLE "projects" ADD COLUMN "counters_epoch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "aggregates_writer_slots" ON "aggregates" USING btree ("project_id","purpose","grain","metric","bucket") WHERE "slot" <> 0;
