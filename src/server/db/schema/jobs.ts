import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { nasDevices } from './nas';

/**
 * The durable pool-import queue, one row per NAS: its state is what the UI shows. `generation` grows on
 * every request, so a request that arrives while an import runs is not lost: the worker finishes only the
 * generation it took, and the row stays queued for the newer one.
 */
export const nasPoolSync = pgTable(
  'nas_pool_sync',
  {
    nasId: integer('nas_id')
      .primaryKey()
      .references(() => nasDevices.id, { onDelete: 'cascade' }),
    state: text('state').notNull().default('queued'), // queued | importing | done | failed
    reason: text('reason').notNull().default('sync'), // create | update | sync
    generation: integer('generation').notNull().default(1),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    error: text('error').notNull().default(''),
    summary: jsonb('summary'),
  },
  (t) => [index('nas_pool_sync_queue_idx').on(t.state, t.requestedAt)],
);
