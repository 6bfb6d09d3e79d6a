CREATE TABLE "skill_state" (
	"tenant_id" text NOT NULL,
	"skill_id" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skill_state_tenant_id_skill_id_key_pk" PRIMARY KEY("tenant_id","skill_id","key")
);
--> statement-breakpoint
ALTER TABLE "skill_state" ADD CONSTRAINT "skill_state_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;