CREATE TABLE "nas_subscriber_counts" (
	"nas_id" integer PRIMARY KEY NOT NULL,
	"subscribers" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_resellers" (
	"plan_id" integer NOT NULL,
	"reseller_id" integer NOT NULL,
	CONSTRAINT "plan_resellers_plan_id_reseller_id_pk" PRIMARY KEY("plan_id","reseller_id")
);
--> statement-breakpoint
CREATE TABLE "subscriber_import_rows" (
	"import_id" integer NOT NULL,
	"line" integer NOT NULL,
	"username" text NOT NULL,
	"password_enc" text NOT NULL,
	"plan" text NOT NULL,
	"nas" text NOT NULL,
	"static_ip" text NOT NULL,
	"enabled" text NOT NULL,
	CONSTRAINT "subscriber_import_rows_import_id_line_pk" PRIMARY KEY("import_id","line")
);
--> statement-breakpoint
CREATE TABLE "subscriber_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_by" integer,
	"reseller_id" integer,
	"file_name" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'checked' NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb,
	"error" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "nas_subscriber_counts" ADD CONSTRAINT "nas_subscriber_counts_nas_id_nas_devices_id_fk" FOREIGN KEY ("nas_id") REFERENCES "public"."nas_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_resellers" ADD CONSTRAINT "plan_resellers_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_resellers" ADD CONSTRAINT "plan_resellers_reseller_id_resellers_id_fk" FOREIGN KEY ("reseller_id") REFERENCES "public"."resellers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriber_import_rows" ADD CONSTRAINT "subscriber_import_rows_import_id_subscriber_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."subscriber_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriber_imports" ADD CONSTRAINT "subscriber_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriber_imports" ADD CONSTRAINT "subscriber_imports_reseller_id_resellers_id_fk" FOREIGN KEY ("reseller_id") REFERENCES "public"."resellers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_resellers_reseller_idx" ON "plan_resellers" USING btree ("reseller_id");--> statement-breakpoint
CREATE INDEX "subscriber_imports_state_idx" ON "subscriber_imports" USING btree ("state","created_at");--> statement-breakpoint
-- Total Users per NAS, exact: one statement-level trigger per kind of write, so a 100,000-row import
-- touches each NAS's count once. Decrements only update (the NAS may be being deleted: its count row goes with
-- it); increments insert the count row when it is missing.
CREATE FUNCTION subscribers_count_by_nas() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM nas_subscriber_counts;
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    UPDATE nas_subscriber_counts c SET subscribers = c.subscribers - d.n
      FROM (SELECT nas_id, count(*)::int AS n FROM old_rows WHERE nas_id IS NOT NULL GROUP BY nas_id) d
      WHERE c.nas_id = d.nas_id;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE nas_subscriber_counts c SET subscribers = c.subscribers - d.n
      FROM (SELECT o.nas_id, count(*)::int AS n FROM old_rows o JOIN new_rows nw ON nw.id = o.id
            WHERE o.nas_id IS NOT NULL AND o.nas_id IS DISTINCT FROM nw.nas_id GROUP BY o.nas_id) d
      WHERE c.nas_id = d.nas_id;
    INSERT INTO nas_subscriber_counts AS c (nas_id, subscribers)
      SELECT nw.nas_id, count(*)::int FROM old_rows o JOIN new_rows nw ON nw.id = o.id
      WHERE nw.nas_id IS NOT NULL AND o.nas_id IS DISTINCT FROM nw.nas_id GROUP BY nw.nas_id
      ON CONFLICT (nas_id) DO UPDATE SET subscribers = c.subscribers + excluded.subscribers;
  ELSE
    INSERT INTO nas_subscriber_counts AS c (nas_id, subscribers)
      SELECT nas_id, count(*)::int FROM new_rows WHERE nas_id IS NOT NULL GROUP BY nas_id
      ON CONFLICT (nas_id) DO UPDATE SET subscribers = c.subscribers + excluded.subscribers;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER subscribers_count_insert AFTER INSERT ON subscribers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscribers_count_by_nas();
--> statement-breakpoint
CREATE TRIGGER subscribers_count_update AFTER UPDATE ON subscribers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscribers_count_by_nas();
--> statement-breakpoint
CREATE TRIGGER subscribers_count_delete AFTER DELETE ON subscribers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION subscribers_count_by_nas();
--> statement-breakpoint
CREATE TRIGGER subscribers_count_truncate AFTER TRUNCATE ON subscribers FOR EACH STATEMENT EXECUTE FUNCTION subscribers_count_by_nas();
--> statement-breakpoint
INSERT INTO nas_subscriber_counts (nas_id, subscribers)
  SELECT nas_id, count(*)::int FROM subscribers WHERE nas_id IS NOT NULL GROUP BY nas_id;
--> statement-breakpoint
-- Subscribers and Services & Plans pages: admins get everything, resellers manage their subscribers, operators look.
UPDATE "roles" SET "permissions" = (SELECT array_agg(DISTINCT p) FROM unnest("permissions" || ARRAY['subscribers.view', 'subscribers.create', 'subscribers.edit', 'subscribers.delete', 'plans.manage']) p)
  WHERE "name" = 'admin';
--> statement-breakpoint
UPDATE "roles" SET "permissions" = (SELECT array_agg(DISTINCT p) FROM unnest("permissions" || ARRAY['subscribers.view', 'subscribers.create', 'subscribers.edit', 'subscribers.delete']) p)
  WHERE "name" = 'reseller';
--> statement-breakpoint
UPDATE "roles" SET "permissions" = (SELECT array_agg(DISTINCT p) FROM unnest("permissions" || ARRAY['subscribers.view']) p)
  WHERE "name" = 'operator';
