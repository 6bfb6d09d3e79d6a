CREATE TABLE "registry_dist_tags" (
	"tenant_id" text NOT NULL,
	"package_id" text NOT NULL,
	"tag" text NOT NULL,
	"version" text NOT NULL,
	CONSTRAINT "registry_dist_tags_tenant_id_package_id_tag_pk" PRIMARY KEY("tenant_id","package_id","tag")
);
--> statement-breakpoint
CREATE TABLE "registry_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"subject" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_packages" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"scope" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registry_packages_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "registry_scope_members" (
	"tenant_id" text NOT NULL,
	"scope" text NOT NULL,
	"user_name" text NOT NULL,
	"role" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registry_scope_members_tenant_id_scope_user_name_pk" PRIMARY KEY("tenant_id","scope","user_name"),
	CONSTRAINT "registry_scope_members_role" CHECK ("registry_scope_members"."role" in ('owner', 'publisher', 'reader'))
);
--> statement-breakpoint
CREATE TABLE "registry_scopes" (
	"tenant_id" text NOT NULL,
	"scope" text NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"require_signatures" boolean DEFAULT false NOT NULL,
	"trusted_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mirrored" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registry_scopes_tenant_id_scope_pk" PRIMARY KEY("tenant_id","scope"),
	CONSTRAINT "registry_scopes_visibility" CHECK ("registry_scopes"."visibility" in ('public', 'private'))
);
--> statement-breakpoint
CREATE TABLE "registry_tokens" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"user_name" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "registry_tokens_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "registry_tokens_role" CHECK ("registry_tokens"."role" in ('read', 'publish', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "registry_versions" (
	"tenant_id" text NOT NULL,
	"package_id" text NOT NULL,
	"version" text NOT NULL,
	"manifest" jsonb NOT NULL,
	"integrity" text NOT NULL,
	"signature" jsonb,
	"size_bytes" bigint NOT NULL,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" text NOT NULL,
	"deprecated" text,
	"unpublished_at" timestamp with time zone,
	CONSTRAINT "registry_versions_tenant_id_package_id_version_pk" PRIMARY KEY("tenant_id","package_id","version"),
	CONSTRAINT "registry_versions_integrity_format" CHECK ("registry_versions"."integrity" ~ '^sha512-[A-Za-z0-9+/]+={0,2}$')
);
--> statement-breakpoint
CREATE INDEX "registry_events_tenant_seq" ON "registry_events" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE INDEX "registry_events_subject" ON "registry_events" USING btree ("tenant_id","subject");--> statement-breakpoint
CREATE INDEX "registry_packages_scope" ON "registry_packages" USING btree ("tenant_id","scope");--> statement-breakpoint
CREATE INDEX "registry_scope_members_user" ON "registry_scope_members" USING btree ("tenant_id","user_name");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_tokens_hash" ON "registry_tokens" USING btree ("tenant_id","hash");--> statement-breakpoint
CREATE INDEX "registry_tokens_user" ON "registry_tokens" USING btree ("tenant_id","user_name");--> statement-breakpoint
CREATE INDEX "registry_versions_integrity" ON "registry_versions" USING btree ("tenant_id","integrity");