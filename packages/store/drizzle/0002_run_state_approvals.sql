CREATE TABLE "approvals" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"run_id" text NOT NULL,
	"step" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text NOT NULL,
	"risk" text NOT NULL,
	"side_effects" text NOT NULL,
	"approvers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"comment" text,
	CONSTRAINT "approvals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "approvals_status_known" CHECK ("approvals"."status" in ('pending', 'approved', 'rejected', 'expired')),
	CONSTRAINT "approvals_decision_recorded" CHECK ("approvals"."status" = 'pending' or "approvals"."decided_at" is not null),
	CONSTRAINT "approvals_decider_named" CHECK ("approvals"."status" not in ('approved', 'rejected') or "approvals"."decided_by" is not null)
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "state" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "parent_run_id" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_tenant_id_run_id_runs_tenant_id_id_fk" FOREIGN KEY ("tenant_id","run_id") REFERENCES "public"."runs"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approvals_tenant_status_expires" ON "approvals" USING btree ("tenant_id","status","expires_at");--> statement-breakpoint
CREATE INDEX "approvals_tenant_run" ON "approvals" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE INDEX "approvals_pending_expires" ON "approvals" USING btree ("expires_at") WHERE "approvals"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "runs_tenant_parent" ON "runs" USING btree ("tenant_id","parent_run_id") WHERE "runs"."parent_run_id" is not null;