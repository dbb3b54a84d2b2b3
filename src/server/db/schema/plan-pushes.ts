import { bigint, index, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { resellers } from './resellers';
import { plans } from './radius';

/**
 * "Apply to the N online sessions now": one CoA rate change per open session of a plan's subscribers (or of one
 * subscriber), run in the background. The sessions are listed at the start (plan_push_items), so the total is
 * fixed and a run cut short resumes where it stopped; the counters move with each item, in the same statement.
 */
export const planPushes = pgTable(
  'plan_pushes',
  {
    id: serial('id').primaryKey(),
    planId: integer('plan_id').references(() => plans.id, { onDelete: 'set null' }),
    planName: text('plan_name').notNull().default(''),
    // Set when the push is for one subscriber's sessions (its plan was changed), null for a whole plan.
    subscriberId: integer('subscriber_id'),
    // The worker acts as this user, in its scope as it is when the push runs.
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    resellerId: integer('reseller_id').references(() => resellers.id, { onDelete: 'cascade' }),
    state: text('state').notNull().default('queued'), // queued | running | done | failed
    total: integer('total').notNull().default(0),
    ok: integer('ok').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    // Sessions that ended before their turn: nothing to change.
    skipped: integer('skipped').notNull().default(0),
    error: text('error').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('plan_pushes_state_idx').on(t.state, t.id)],
);

export const planPushItems = pgTable(
  'plan_push_items',
  {
    pushId: integer('push_id')
      .notNull()
      .references(() => planPushes.id, { onDelete: 'cascade' }),
    radacctId: bigint('radacct_id', { mode: 'number' }).notNull(),
    nasId: integer('nas_id').notNull(),
    state: text('state').notNull().default('pending'), // pending | ok | failed | skipped
    // The control outcome's sentence (failures are listed with it).
    message: text('message').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.pushId, t.radacctId] }), index('plan_push_items_state_idx').on(t.pushId, t.state)],
);
