-- Hand-written (drizzle-kit describes no partitioning): raw events partitioned by UTC day of
-- `ts`, so retention drops a day's table instead of deleting its rows one by one
-- (docs/scaling.md). Every row is kept: the old table's rows are copied into the partitions
-- of the days they fall in, then it is dropped.
ALTER TABLE "events" RENAME TO "events_unpartitioned";--> statement-breakpoint
ALTER TABLE "events_unpartitioned" RENAME CONSTRAINT "events_project_id_ts_id_pk" TO "events_unpartitioned_pk";--> statement-breakpoint
ALTER INDEX "events_subject" RENAME TO "events_unpartitioned_subject";--> statement-breakpoint
ALTER INDEX "events_received" RENAME TO "events_unpartitioned_received";--> statement-breakpoint
CREATE TABLE "events" (
	"project_id" text NOT NULL,
	"id" text NOT NULL,
	"pseudonym" text NOT NULL,
	"session_id" text NOT NULL,
	"type" text NOT NULL,
	"ts" bigint NOT NULL,
	"received_at" bigint NOT NULL,
	"name" text,
	"duration_ms" bigint,
	"active_ms" bigint,
	"props" text,
	"purposes" text NOT NULL,
	CONSTRAINT "events_project_id_ts_id_pk" PRIMARY KEY("project_id","ts","id")
) PARTITION BY RANGE ("ts");--> statement-breakpoint
CREATE INDEX "events_subject" ON "events" USING btree ("project_id","pseudonym");--> statement-breakpoint
CREATE INDEX "events_received" ON "events" USING btree ("received_at");--> statement-breakpoint
-- The partition of the UTC day that starts at `day` (epoch ms), named events_YYYYMMDD;
-- nothing if it exists. Concurrent callers (several processes at start) may race: the loser
-- finds the table there.
CREATE FUNCTION heed_event_partition(day bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  name text := 'events_' || to_char(to_timestamp(day / 1000) AT TIME ZONE 'UTC', 'YYYYMMDD');
BEGIN
  IF day % 86400000 <> 0 THEN
    RAISE EXCEPTION 'heed_event_partition: % is not the start of a UTC day', day;
  END IF;
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%s) TO (%s)', name, day, day + 86400000);
  END IF;
EXCEPTION WHEN duplicate_table OR unique_violation THEN
  NULL;
END
$$;--> statement-breakpoint
SELECT heed_event_partition(d) FROM (SELECT DISTINCT floor("ts" / 86400000.0)::bigint * 86400000 AS d FROM "events_unpartitioned") AS days;--> statement-breakpoint
INSERT INTO "events" ("project_id", "id", "pseudonym", "session_id", "type", "ts", "received_at", "name", "duration_ms", "active_ms", "props", "purposes")
SELECT "project_id", "id", "pseudonym", "session_id", "type", "ts", "received_at", "name", "duration_ms", "active_ms", "props", "purposes" FROM "events_unpartitioned";--> statement-breakpoint
DROP TABLE "events_unpartitioned";
