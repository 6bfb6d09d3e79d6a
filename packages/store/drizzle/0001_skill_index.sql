CREATE TABLE "skill_index_entries" (
	"tenant_id" text NOT NULL,
	"skill_id" text NOT NULL,
	"embedder_id" text NOT NULL,
	"text_hash" text NOT NULL,
	"dimensions" integer NOT NULL,
	"vectors" "bytea" NOT NULL,
	"document" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skill_index_entries_tenant_id_embedder_id_skill_id_pk" PRIMARY KEY("tenant_id","embedder_id","skill_id")
);
--> statement-breakpoint
CREATE INDEX "skill_index_entries_updated" ON "skill_index_entries" USING btree ("tenant_id","updated_at");