CREATE TABLE "run_event_batches" (
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"first_seq" integer NOT NULL,
	"last_seq" integer NOT NULL,
	"events" json NOT NULL,
	CONSTRAINT "run_event_batches_tenant_id_run_id_first_seq_pk" PRIMARY KEY("tenant_id","run_id","first_seq"),
	CONSTRAINT "run_event_batches_seq_range" CHECK ("run_event_batches"."first_seq" >= 0 and "run_event_batches"."last_seq" >= "run_event_batches"."first_seq")
);
--> statement-breakpoint
ALTER TABLE "run_event_batches" ADD CONSTRAINT "run_event_batches_tenant_id_run_id_runs_tenant_id_id_fk" FOREIGN KEY ("tenant_id","run_id") REFERENCES "public"."runs"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every run's stored events move into one batch per run, in seq order (0008 drops run_events).
INSERT INTO "run_event_batches" ("tenant_id", "run_id", "first_seq", "last_seq", "events")
SELECT "tenant_id", "run_id", min("seq"), max("seq"),
	json_agg(json_build_object('seq', "seq", 'type', "type", 'at', "at", 'data', "data") ORDER BY "seq")
FROM "run_events"
GROUP BY "tenant_id", "run_id";
