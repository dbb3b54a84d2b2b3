import { index, integer, pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';
import { nasDevices } from './nas';

/**
 * Each NAS's open-session count, sampled every few minutes from nas_session_counts (jobs/nas-session-sampler.ts):
 * the dashboard's "sessions over 24 h" reads a few hundred rows instead of scanning radacct, whose open rows are
 * rewritten by every interim update. Samples older than the retention are pruned by the sampler itself.
 */
export const nasSessionSamples = pgTable(
  'nas_session_samples',
  {
    nasId: integer('nas_id')
      .notNull()
      .references(() => nasDevices.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    open: integer('open').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nasId, t.at] }), index('nas_session_samples_at_idx').on(t.at)],
);
