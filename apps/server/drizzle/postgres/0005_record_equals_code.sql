-- Hand-edited after drizzle-kit: requests answered before the request lifecycle are 'completed', with their one-month due date as the original one.
CREATE TABLE "ledger_checkpoints" (
	"project_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"pruned" bigint NOT NULL,
	"at" bigint NOT NULL,
	"key_id" text NOT NULL,
	"seal" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"hash" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"version" text NOT NULL,
	"document" text NOT NULL,
	"archived_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "policy_hash" text;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "state" text DEFAULT 'received' NOT NULL;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "original_due_at" bigint;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "extension_reason" text;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "notice_at" bigint;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "refusal_ground" text;--> statement-breakpoint
ALTER TABLE "subjects" ADD COLUMN "corrected" text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "subjects" ADD COLUMN "hold_ground" text;--> statement-breakpoint
ALTER TABLE "subjects" ADD COLUMN "hold_reason" text;--> statement-breakpoint
ALTER TABLE "subjects" ADD COLUMN "hold_until" bigint;--> statement-breakpoint
CREATE INDEX "policy_versions_line" ON "policy_versions" USING btree ("project_id","version");--> statement-breakpoint
UPDATE "rights_requests" SET "state" = 'completed' WHERE "completed_at" IS NOT NULL;--> statement-breakpoint
UPDATE "rights_requests" SET "original_due_at" = "due_at";
