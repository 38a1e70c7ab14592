-- Hand-edited after drizzle-kit: existing subject tokens move to subject_tokens (an id each, channel 'legacy'), every existing ledger gets its head, and projects from before identity verification start in 'report' mode (new ones enforce).
CREATE TABLE "identity_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"salt" text NOT NULL,
	"master_key_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint
);
--> statement-breakpoint
CREATE TABLE "ledger_heads" (
	"project_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subject_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"pseudonym" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"channel" text NOT NULL
);
--> statement-breakpoint
INSERT INTO "subject_tokens" ("id", "project_id", "pseudonym", "hash", "created_at", "channel") SELECT 'tk_' || substr(md5(random()::text || "pseudonym"), 1, 12), "project_id", "pseudonym", "token_hash", "created_at", 'legacy' FROM "subjects" WHERE "token_hash" IS NOT NULL;--> statement-breakpoint
DROP INDEX "subjects_token";--> statement-breakpoint
ALTER TABLE "consent_ledger" ADD COLUMN "policy_hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_ledger" ADD COLUMN "channel" text DEFAULT 'legacy' NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_ledger" ADD COLUMN "auth" text DEFAULT 'unrecorded' NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_ledger" ADD COLUMN "key_id" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "identity_mode" text DEFAULT 'enforce' NOT NULL;--> statement-breakpoint
UPDATE "projects" SET "identity_mode" = 'report';--> statement-breakpoint
INSERT INTO "ledger_heads" ("project_id", "seq", "hash") SELECT DISTINCT ON ("project_id") "project_id", "seq", "hash" FROM "consent_ledger" ORDER BY "project_id", "seq" DESC;--> statement-breakpoint
ALTER TABLE "identity_secrets" ADD CONSTRAINT "identity_secrets_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identity_secrets_project" ON "identity_secrets" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subject_tokens_hash" ON "subject_tokens" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "subject_tokens_subject" ON "subject_tokens" USING btree ("project_id","pseudonym");--> statement-breakpoint
ALTER TABLE "subjects" DROP COLUMN "token_hash";