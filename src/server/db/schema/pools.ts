import { sql } from 'drizzle-orm';
import { bigserial, check, index, inet, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { nasDevices } from './nas';

/** One row per address of every pool imported from a router. */
export const ipPoolAssignments = pgTable(
  'ip_pool_assignments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    nasId: integer('nas_id')
      .notNull()
      .references(() => nasDevices.id, { onDelete: 'cascade' }),
    poolName: text('pool_name').notNull(),
    ipAddress: inet('ip_address').notNull(),
    status: text('status').notNull().default('available'),
    username: text('username'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ip_pool_assignments_nas_ip_uq').on(t.nasId, t.ipAddress),
    index('ip_pool_assignments_nas_pool_idx').on(t.nasId, t.poolName, t.status),
    check('ip_pool_assignments_status_ck', sql`${t.status} in ('available', 'in_use')`),
  ],
);
