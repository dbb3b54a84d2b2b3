import { index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { nasDevices } from './nas';
import { plans } from './radius';
import { resellers } from './resellers';

/** Which resellers may offer a plan to their subscribers (an admin may use every plan). */
export const planResellers = pgTable(
  'plan_resellers',
  {
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    resellerId: integer('reseller_id')
      .notNull()
      .references(() => resellers.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.resellerId] }), index('plan_resellers_reseller_idx').on(t.resellerId)],
);

/**
 * Total Users per NAS, kept exact by statement-level triggers on subscribers (one update per NAS per
 * statement, so a 100,000-row import touches each NAS once): the NAS list reads a number instead of counting
 * 500,000 rows per request. A table of its own, so these writes never look like a NAS change to RADIUS.
 */
export const nasSubscriberCounts = pgTable('nas_subscriber_counts', {
  nasId: integer('nas_id')
    .primaryKey()
    .references(() => nasDevices.id, { onDelete: 'cascade' }),
  subscribers: integer('subscribers').notNull().default(0),
});

/**
 * One CSV import: uploaded and checked (dry run), then run as one background transaction (all or nothing).
 * `errors` holds the first rows that failed the check, with their line numbers.
 */
export const subscriberImports = pgTable(
  'subscriber_imports',
  {
    id: serial('id').primaryKey(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    // The reseller the imported subscribers belong to (the importing user's, or the admin's choice).
    resellerId: integer('reseller_id').references(() => resellers.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull().default(''),
    state: text('state').notNull().default('checked'), // checked | invalid | queued | importing | done | failed
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    errors: jsonb('errors'),
    error: text('error').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('subscriber_imports_state_idx').on(t.state, t.createdAt)],
);

/**
 * An uploaded CSV's rows, as written, until the import ran (then deleted). The password is sealed (a secret
 * never sits in the clear, not even in a staging table); the other fields are the file's text, checked in SQL.
 */
export const subscriberImportRows = pgTable(
  'subscriber_import_rows',
  {
    importId: integer('import_id')
      .notNull()
      .references(() => subscriberImports.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    username: text('username').notNull(),
    passwordEnc: text('password_enc').notNull(),
    plan: text('plan').notNull(),
    nas: text('nas').notNull(),
    staticIp: text('static_ip').notNull(),
    enabled: text('enabled').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);
