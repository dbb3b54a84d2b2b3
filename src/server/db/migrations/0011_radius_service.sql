CREATE TABLE "nas_radius_stats" (
	"nas_id" integer NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"accepts" integer DEFAULT 0 NOT NULL,
	"rejects" integer DEFAULT 0 NOT NULL,
	"accounting" integer DEFAULT 0 NOT NULL,
	"secret_mismatches" integer DEFAULT 0 NOT NULL,
	"missing_message_authenticator" integer DEFAULT 0 NOT NULL,
	"last_verified_at" timestamp with time zone,
	"last_mismatch_at" timestamp with time zone,
	CONSTRAINT "nas_radius_stats_nas_id_hour_pk" PRIMARY KEY("nas_id","hour")
);
--> statement-breakpoint
CREATE TABLE "nas_session_counts" (
	"nasipaddress" "inet" PRIMARY KEY NOT NULL,
	"open" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"download_kbps" integer NOT NULL,
	"upload_kbps" integer NOT NULL,
	"burst_download_kbps" integer,
	"burst_upload_kbps" integer,
	"burst_threshold_download_kbps" integer,
	"burst_threshold_upload_kbps" integer,
	"burst_time_s" integer,
	"filter_id" text DEFAULT '' NOT NULL,
	"framed_pool" text DEFAULT '' NOT NULL,
	"default_nas_id" integer,
	"session_timeout_s" integer,
	"interim_interval_s" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "radius_unknown_clients" (
	"source_ip" "inet" PRIMARY KEY NOT NULL,
	"nas_identifier" text DEFAULT '' NOT NULL,
	"nas_ip_address" text DEFAULT '' NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"packets" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "nas_devices" ADD COLUMN "require_message_authenticator" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "password_enc" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "plan_id" integer;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "static_ip" "inet";--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "nas_radius_stats" ADD CONSTRAINT "nas_radius_stats_nas_id_nas_devices_id_fk" FOREIGN KEY ("nas_id") REFERENCES "public"."nas_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_default_nas_id_nas_devices_id_fk" FOREIGN KEY ("default_nas_id") REFERENCES "public"."nas_devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "radius_unknown_clients_last_seen_idx" ON "radius_unknown_clients" USING btree ("last_seen");--> statement-breakpoint
ALTER TABLE "subscribers" ADD CONSTRAINT "subscribers_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subscribers_plan_idx" ON "subscribers" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscribers_static_ip_uq" ON "subscribers" USING btree ("static_ip");