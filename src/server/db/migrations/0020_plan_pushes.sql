CREATE TABLE "plan_push_items" (
	"push_id" integer NOT NULL,
	"radacct_id" bigint NOT NULL,
	"nas_id" integer NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	CONSTRAINT "plan_push_items_push_id_radacct_id_pk" PRIMARY KEY("push_id","radacct_id")
);
--> statement-breakpoint
CREATE TABLE "plan_pushes" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer,
	"plan_name" text DEFAULT '' NOT NULL,
	"subscriber_id" integer,
	"created_by" integer,
	"reseller_id" integer,
	"state" text DEFAULT 'queued' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"ok" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"error" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "plan_push_items" ADD CONSTRAINT "plan_push_items_push_id_plan_pushes_id_fk" FOREIGN KEY ("push_id") REFERENCES "public"."plan_pushes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_pushes" ADD CONSTRAINT "plan_pushes_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_pushes" ADD CONSTRAINT "plan_pushes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_pushes" ADD CONSTRAINT "plan_pushes_reseller_id_resellers_id_fk" FOREIGN KEY ("reseller_id") REFERENCES "public"."resellers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_push_items_state_idx" ON "plan_push_items" USING btree ("push_id","state");--> statement-breakpoint
CREATE INDEX "plan_pushes_state_idx" ON "plan_pushes" USING btree ("state","id");