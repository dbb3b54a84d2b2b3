CREATE TABLE "nas_session_samples" (
	"nas_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"open" integer NOT NULL,
	CONSTRAINT "nas_session_samples_nas_id_at_pk" PRIMARY KEY("nas_id","at")
);
--> statement-breakpoint
ALTER TABLE "nas_session_samples" ADD CONSTRAINT "nas_session_samples_nas_id_nas_devices_id_fk" FOREIGN KEY ("nas_id") REFERENCES "public"."nas_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "nas_session_samples_at_idx" ON "nas_session_samples" USING btree ("at");