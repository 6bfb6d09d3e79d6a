CREATE TABLE "budget_ledger" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"run_id" text,
	"principal_id" text,
	"skill_id" text,
	"model" text,
	"kind" text NOT NULL,
	"tokens_in" integer DEFAULT 0 NOT NULL,
	"tokens_out" integer DEFAULT 0 NOT NULL,
	"cost_micros" bigint NOT NULL,
	"charge_key" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budget_ledger_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "budget_ledger_tokens_non_negative" CHECK ("budget_ledger"."tokens_in" >= 0 and "budget_ledger"."tokens_out" >= 0),
	CONSTRAINT "budget_ledger_refund_is_adjustment" CHECK ("budget_ledger"."cost_micros" >= 0 or "budget_ledger"."kind" = 'adjustment')
);
--> statement-breakpoint
CREATE TABLE "run_events" (
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "run_events_tenant_id_run_id_seq_pk" PRIMARY KEY("tenant_id","run_id","seq"),
	CONSTRAINT "run_events_seq_non_negative" CHECK ("run_events"."seq" >= 0)
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"status" text NOT NULL,
	"skill_id" text,
	"skill_version" text,
	"mode" text,
	"principal_id" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"input" jsonb,
	"output" jsonb,
	"error" jsonb,
	"tokens_in" integer DEFAULT 0 NOT NULL,
	"tokens_out" integer DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"idempotency_expires_at" timestamp with time zone,
	CONSTRAINT "runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "runs_status_known" CHECK ("runs"."status" in ('queued', 'running', 'needs_input', 'awaiting_approval', 'succeeded', 'failed', 'refused', 'cancelled')),
	CONSTRAINT "runs_usage_non_negative" CHECK ("runs"."tokens_in" >= 0 and "runs"."tokens_out" >= 0 and "runs"."cost_micros" >= 0)
);
--> statement-breakpoint
CREATE TABLE "skill_versions" (
	"tenant_id" text NOT NULL,
	"skill_id" text NOT NULL,
	"version" text NOT NULL,
	"manifest" jsonb NOT NULL,
	"integrity" text,
	"signature" text,
	"signing_key_id" text,
	"size_bytes" bigint,
	"published_by" text,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deprecated" text,
	"yanked" boolean DEFAULT false NOT NULL,
	CONSTRAINT "skill_versions_tenant_id_skill_id_version_pk" PRIMARY KEY("tenant_id","skill_id","version"),
	CONSTRAINT "skill_versions_integrity_format" CHECK ("skill_versions"."integrity" is null or "skill_versions"."integrity" ~ '^sha512-[A-Za-z0-9+/]+={0,2}$')
);
--> statement-breakpoint
CREATE TABLE "skills" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"latest_version" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skills_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "skills_id_format" CHECK ("skills"."id" ~ '^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$')
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_id_slug" CHECK ("tenants"."id" ~ '^[a-z0-9][a-z0-9_-]{0,62}$')
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"skill_id" text NOT NULL,
	"principal_id" text,
	"run_id" text,
	"kind" text NOT NULL,
	"outcome" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "budget_ledger" ADD CONSTRAINT "budget_ledger_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_tenant_id_run_id_runs_tenant_id_id_fk" FOREIGN KEY ("tenant_id","run_id") REFERENCES "public"."runs"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_versions" ADD CONSTRAINT "skill_versions_tenant_id_skill_id_skills_tenant_id_id_fk" FOREIGN KEY ("tenant_id","skill_id") REFERENCES "public"."skills"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skills" ADD CONSTRAINT "skills_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "budget_ledger_tenant_at" ON "budget_ledger" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "budget_ledger_tenant_skill_at" ON "budget_ledger" USING btree ("tenant_id","skill_id","at");--> statement-breakpoint
CREATE INDEX "budget_ledger_tenant_principal_at" ON "budget_ledger" USING btree ("tenant_id","principal_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "budget_ledger_charge_key" ON "budget_ledger" USING btree ("tenant_id","charge_key");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_idempotency_key" ON "runs" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "runs_tenant_created" ON "runs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_tenant_status" ON "runs" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "skill_versions_published" ON "skill_versions" USING btree ("tenant_id","published_at");--> statement-breakpoint
CREATE INDEX "usage_events_tenant_skill_at" ON "usage_events" USING btree ("tenant_id","skill_id","at");--> statement-breakpoint
CREATE INDEX "usage_events_tenant_principal_at" ON "usage_events" USING btree ("tenant_id","principal_id","at");