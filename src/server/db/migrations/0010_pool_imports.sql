-- One name for one thing: the pool-import queue. drizzle-kit wrote drop + re-create for the index and the
-- foreign key; renames do the same in place (no index rebuild, no FK re-check), and the primary key follows.
ALTER TABLE "nas_pool_sync" RENAME TO "nas_pool_imports";--> statement-breakpoint
ALTER TABLE "nas_pool_imports" RENAME CONSTRAINT "nas_pool_sync_pkey" TO "nas_pool_imports_pkey";--> statement-breakpoint
ALTER TABLE "nas_pool_imports" RENAME CONSTRAINT "nas_pool_sync_nas_id_nas_devices_id_fk" TO "nas_pool_imports_nas_id_nas_devices_id_fk";--> statement-breakpoint
ALTER INDEX "nas_pool_sync_queue_idx" RENAME TO "nas_pool_imports_queue_idx";
