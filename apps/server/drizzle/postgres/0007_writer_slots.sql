-- Hand-edited after drizzle-kit (columns before the keys that use them, and the slot function).
-- Writer slots: every transaction adds to its own connection's row of a counter, so writers in
-- one process or many never wait on one row (docs/scaling.md). Existing rows become slot 0.
ALTER TABLE "aggregates" ADD COLUMN "slot" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "suppressions" ADD COLUMN "slot" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "aggregates" DROP CONSTRAINT "aggregates_project_id_purpose_grain_metric_bucket_dim_pk";--> statement-breakpoint
ALTER TABLE "suppressions" DROP CONSTRAINT "suppressions_project_id_day_reason_pk";--> statement-breakpoint
ALTER TABLE "aggregates" ADD CONSTRAINT "aggregates_project_id_purpose_grain_metric_bucket_dim_slot_pk" PRIMARY KEY("project_id","purpose","grain","metric","bucket","dim","slot");--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_project_id_day_reason_slot_pk" PRIMARY KEY("project_id","day","reason","slot");--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "changed_xid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_changed" ON "sessions" USING btree ("project_id","changed_xid");--> statement-breakpoint
-- The calling connection's slot: the lowest number whose session advisory lock (class
-- 0x48656565, beside the migration lock's 0x48656564) it holds or can take, kept in a session
-- setting. A slot belongs to one live connection at a time and is freed when it closes, so
-- slots stay as few as the connections ever open at once. (A rollback resets the setting;
-- the next call finds the lock it already holds again, or a lower one that came free.)
CREATE FUNCTION heed_writer_slot() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  held integer := nullif(current_setting('heed.writer_slot', true), '')::integer;
BEGIN
  IF held IS NOT NULL THEN
    RETURN held;
  END IF;
  FOR candidate IN 1..1000000 LOOP
    IF pg_try_advisory_lock(1214604645, candidate) THEN
      PERFORM set_config('heed.writer_slot', candidate::text, false);
      RETURN candidate;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'no free writer slot';
END
$$;
