import { index, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { nasDevices } from './nas';

export const resellers = pgTable('resellers', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  contactEmail: text('contact_email').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Which NAS rows a reseller may see; one BNG can be shared by several resellers. */
export const resellerNas = pgTable(
  'reseller_nas',
  {
    resellerId: integer('reseller_id')
      .notNull()
      .references(() => resellers.id, { onDelete: 'cascade' }),
    nasId: integer('nas_id')
      .notNull()
      .references(() => nasDevices.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.resellerId, t.nasId] }), index('reseller_nas_nas_idx').on(t.nasId)],
);
