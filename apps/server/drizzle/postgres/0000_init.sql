CREATE TABLE "activity" (
	"project_id" text NOT NULL,
	"purpose" text NOT NULL,
	"grain" text NOT NULL,
	"bucket" bigint NOT NULL,
	"pseudonym" text NOT NULL,
	CONSTRAINT "activity_project_id_purpose_grain_bucket_pseudonym_pk" PRIMARY KEY("project_id","purpose","grain","bucket","pseudonym")
);
--> statement-breakpoint
CREATE TABLE "aggregates" (
	"project_id" text NOT NULL,
	"purpose" text NOT NULL,
	"grain" text NOT NULL,
	"bucket" bigint NOT NULL,
	"metric" text NOT NULL,
	"dim" text DEFAULT '' NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "aggregates_project_id_purpose_grain_bucket_metric_dim_pk" PRIMARY KEY("project_id","purpose","grain","bucket","metric","dim")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"kind" text NOT NULL,
	"hash" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "consent_ledger" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"pseudonym" text NOT NULL,
	"action" text NOT NULL,
	"policy_version" text NOT NULL,
	"detail" text NOT NULL,
	"at" bigint NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
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
	CONSTRAINT "events_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rights_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"pseudonym" text NOT NULL,
	"kind" text NOT NULL,
	"via" text NOT NULL,
	"received_at" bigint NOT NULL,
	"due_at" bigint NOT NULL,
	"completed_at" bigint,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"project_id" text NOT NULL,
	"session_id" text NOT NULL,
	"pseudonym" text NOT NULL,
	"started_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	"ended_at" bigint,
	"active_ms" bigint DEFAULT 0 NOT NULL,
	"events" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "sessions_project_id_session_id_pk" PRIMARY KEY("project_id","session_id")
);
--> statement-breakpoint
CREATE TABLE "subjects" (
	"project_id" text NOT NULL,
	"pseudonym" text NOT NULL,
	"key_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"token_hash" text,
	"tz" text,
	"device" text,
	"consent_version" text,
	"consent_granted" text DEFAULT '[]' NOT NULL,
	"consent_withdrawn" boolean DEFAULT false NOT NULL,
	"consent_at" bigint,
	"objected" text DEFAULT '[]' NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"erased" boolean DEFAULT false NOT NULL,
	"last_seen_at" bigint,
	CONSTRAINT "subjects_project_id_pseudonym_pk" PRIMARY KEY("project_id","pseudonym")
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"project_id" text NOT NULL,
	"day" bigint NOT NULL,
	"reason" text NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "suppressions_project_id_day_reason_pk" PRIMARY KEY("project_id","day","reason")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_subject" ON "activity" USING btree ("project_id","pseudonym");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_keys_project" ON "api_keys" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "consent_ledger_subject" ON "consent_ledger" USING btree ("project_id","pseudonym");--> statement-breakpoint
CREATE INDEX "consent_ledger_project" ON "consent_ledger" USING btree ("project_id","seq");--> statement-breakpoint
CREATE INDEX "events_subject" ON "events" USING btree ("project_id","pseudonym");--> statement-breakpoint
CREATE INDEX "events_received" ON "events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "rights_requests_project" ON "rights_requests" USING btree ("project_id","due_at");--> statement-breakpoint
CREATE INDEX "sessions_subject" ON "sessions" USING btree ("project_id","pseudonym");--> statement-breakpoint
CREATE UNIQUE INDEX "subjects_token" ON "subjects" USING btree ("token_hash");