CREATE TYPE "public"."nas_type" AS ENUM('mikrotik', 'generic');--> statement-breakpoint
CREATE TABLE "roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "roles_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"role_id" integer NOT NULL,
	"reseller_id" integer,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reseller_nas" (
	"reseller_id" integer NOT NULL,
	"nas_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reseller_nas_reseller_id_nas_id_pk" PRIMARY KEY("reseller_id","nas_id")
);
--> statement-breakpoint
CREATE TABLE "resellers" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"contact_email" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resellers_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "nas_devices" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"short_name" text DEFAULT '' NOT NULL,
	"ip_address" "inet" NOT NULL,
	"type" "nas_type" DEFAULT 'mikrotik' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"secret_enc" text DEFAULT '' NOT NULL,
	"auth_port" integer DEFAULT 1812 NOT NULL,
	"acct_port" integer DEFAULT 1813 NOT NULL,
	"coa_port" integer DEFAULT 1700 NOT NULL,
	"api_username" text DEFAULT '' NOT NULL,
	"api_password_enc" text DEFAULT '' NOT NULL,
	"api_port" integer DEFAULT 8728 NOT NULL,
	"api_ssl_port" integer DEFAULT 8729 NOT NULL,
	"use_ssl" boolean DEFAULT false NOT NULL,
	"api_host" text DEFAULT '' NOT NULL,
	"subscriber_pools" text DEFAULT '' NOT NULL,
	"allowed_realms" text DEFAULT '' NOT NULL,
	"is_online" boolean DEFAULT false NOT NULL,
	"last_seen" timestamp with time zone,
	"version" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nas_devices_ports_ck" CHECK ("nas_devices"."auth_port" between 1 and 65535 and "nas_devices"."acct_port" between 1 and 65535 and "nas_devices"."coa_port" between 1 and 65535 and "nas_devices"."api_port" between 1 and 65535 and "nas_devices"."api_ssl_port" between 1 and 65535)
);
--> statement-breakpoint
CREATE TABLE "radacct" (
	"radacctid" bigserial PRIMARY KEY NOT NULL,
	"acctsessionid" text NOT NULL,
	"acctuniqueid" text NOT NULL,
	"username" text,
	"realm" text,
	"nasipaddress" "inet" NOT NULL,
	"nasportid" text,
	"nasporttype" text,
	"acctstarttime" timestamp with time zone,
	"acctupdatetime" timestamp with time zone,
	"acctstoptime" timestamp with time zone,
	"acctinterval" bigint,
	"acctsessiontime" bigint,
	"acctauthentic" text,
	"connectinfo_start" text,
	"connectinfo_stop" text,
	"acctinputoctets" bigint,
	"acctoutputoctets" bigint,
	"calledstationid" text,
	"callingstationid" text,
	"acctterminatecause" text,
	"servicetype" text,
	"framedprotocol" text,
	"framedipaddress" "inet",
	"framedipv6address" "inet",
	"framedipv6prefix" "inet",
	"framedinterfaceid" text,
	"delegatedipv6prefix" "inet",
	"class" text
);
--> statement-breakpoint
CREATE TABLE "subscribers" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"reseller_id" integer,
	"nas_id" integer,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscribers_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "ip_pool_assignments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"nas_id" integer NOT NULL,
	"pool_name" text NOT NULL,
	"ip_address" "inet" NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"username" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ip_pool_assignments_status_ck" CHECK ("ip_pool_assignments"."status" in ('available', 'in_use'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" integer,
	"actor_email" text DEFAULT '' NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" integer,
	"summary" text NOT NULL,
	"changes" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_reseller_id_resellers_id_fk" FOREIGN KEY ("reseller_id") REFERENCES "public"."resellers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reseller_nas" ADD CONSTRAINT "reseller_nas_reseller_id_resellers_id_fk" FOREIGN KEY ("reseller_id") REFERENCES "public"."resellers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reseller_nas" ADD CONSTRAINT "reseller_nas_nas_id_nas_devices_id_fk" FOREIGN KEY ("nas_id") REFERENCES "public"."nas_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscribers" ADD CONSTRAINT "subscribers_reseller_id_resellers_id_fk" FOREIGN KEY ("reseller_id") REFERENCES "public"."resellers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscribers" ADD CONSTRAINT "subscribers_nas_id_nas_devices_id_fk" FOREIGN KEY ("nas_id") REFERENCES "public"."nas_devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ip_pool_assignments" ADD CONSTRAINT "ip_pool_assignments_nas_id_nas_devices_id_fk" FOREIGN KEY ("nas_id") REFERENCES "public"."nas_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_uq" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_reseller_idx" ON "users" USING btree ("reseller_id");--> statement-breakpoint
CREATE INDEX "reseller_nas_nas_idx" ON "reseller_nas" USING btree ("nas_id");--> statement-breakpoint
CREATE UNIQUE INDEX "nas_devices_ip_uq" ON "nas_devices" USING btree ("ip_address");--> statement-breakpoint
CREATE INDEX "nas_devices_name_idx" ON "nas_devices" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "radacct_acctuniqueid_uq" ON "radacct" USING btree ("acctuniqueid");--> statement-breakpoint
CREATE INDEX "radacct_open_nas_idx" ON "radacct" USING btree ("nasipaddress") WHERE "radacct"."acctstoptime" is null;--> statement-breakpoint
CREATE INDEX "radacct_nas_update_idx" ON "radacct" USING btree ("nasipaddress","acctupdatetime");--> statement-breakpoint
CREATE INDEX "radacct_open_framedip_idx" ON "radacct" USING btree ("framedipaddress") WHERE "radacct"."acctstoptime" is null;--> statement-breakpoint
CREATE INDEX "radacct_start_idx" ON "radacct" USING btree ("acctstarttime");--> statement-breakpoint
CREATE INDEX "subscribers_nas_idx" ON "subscribers" USING btree ("nas_id");--> statement-breakpoint
CREATE INDEX "subscribers_reseller_idx" ON "subscribers" USING btree ("reseller_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ip_pool_assignments_nas_ip_uq" ON "ip_pool_assignments" USING btree ("nas_id","ip_address");--> statement-breakpoint
CREATE INDEX "ip_pool_assignments_nas_pool_idx" ON "ip_pool_assignments" USING btree ("nas_id","pool_name","status");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id","at");