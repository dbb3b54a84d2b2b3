CREATE TABLE "nas_pool_sync" (
	"nas_id" integer PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"reason" text DEFAULT 'sync' NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text DEFAULT '' NOT NULL,
	"summary" jsonb
);
--> statement-breakpoint
ALTER TABLE "nas_pool_sync" ADD CONSTRAINT "nas_pool_sync_nas_id_nas_devices_id_fk" FOREIGN KEY ("nas_id") REFERENCES "public"."nas_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "nas_pool_sync_queue_idx" ON "nas_pool_sync" USING btree ("state","requested_at");