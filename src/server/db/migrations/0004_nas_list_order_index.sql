DROP INDEX "nas_devices_name_idx";--> statement-breakpoint
CREATE INDEX "nas_devices_name_order_idx" ON "nas_devices" USING btree (lower("name"),"id");