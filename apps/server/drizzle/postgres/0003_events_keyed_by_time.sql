ALTER TABLE "events" DROP CONSTRAINT "events_project_id_id_pk";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_project_id_ts_id_pk" PRIMARY KEY("project_id","ts","id");