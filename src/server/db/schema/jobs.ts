import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { nasDevices } from './nas';

/**
 * The durable pool-import queue, one row per NAS: its state is what the UI shows. `generation` grows on
 * every request, so a request that arrives while an import runs is not lost: the worker finishes only the
 * generation it took, and the row stays queued for the newer one.
 */
export const nasPoolImports = pgTable(
  'nas_pool_imports',
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
    // 'unreachable' (the router did not answer: retried with backoff and when the heartbeat sees it again)
    // or 'refused' (it answered something we will not import: retried only on request); '' when not failed.
    failureKind: text('failure_kind').notNull().default(''),
    // A queued retry waits until then.
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    summary: jsonb('summary'),
  },
  (t) => [index('nas_pool_imports_queue_idx').on(t.state, t.requestedAt)],
);

/**
 * One row per scheduled job: the runner records each run's start under the job's advisory lock, so an
 * instance that finds a recent start skips its turn and the work runs once per interval across instances.
 */
export const jobRuns = pgTable('job_runs', {
  name: text('name').primaryKey(),
  lastStartedAt: timestamp('last_started_at', { withTimezone: true }),
  lastFinishedAt: timestamp('last_finished_at', { withTimezone: true }),
  lastOutcome: text('last_outcome').notNull().default(''),
  lastError: text('last_error').notNull().default(''),
  lastInstance: text('last_instance').notNull().default(''),
  runs: bigint('runs', { mode: 'number' }).notNull().default(0),
});
