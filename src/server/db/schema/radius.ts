import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, inet, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { nasDevices } from './nas';
import { resellers } from './resellers';

/** FreeRADIUS' PostgreSQL accounting table (raddb/mods-config/sql/main/postgresql/schema.sql), column for column. */
export const radacct = pgTable(
  'radacct',
  {
    radacctid: bigserial('radacctid', { mode: 'number' }).primaryKey(),
    acctsessionid: text('acctsessionid').notNull(),
    acctuniqueid: text('acctuniqueid').notNull(),
    username: text('username'),
    realm: text('realm'),
    nasipaddress: inet('nasipaddress').notNull(),
    nasportid: text('nasportid'),
    nasporttype: text('nasporttype'),
    acctstarttime: timestamp('acctstarttime', { withTimezone: true }),
    acctupdatetime: timestamp('acctupdatetime', { withTimezone: true }),
    acctstoptime: timestamp('acctstoptime', { withTimezone: true }),
    acctinterval: bigint('acctinterval', { mode: 'number' }),
    acctsessiontime: bigint('acctsessiontime', { mode: 'number' }),
    acctauthentic: text('acctauthentic'),
    connectinfoStart: text('connectinfo_start'),
    connectinfoStop: text('connectinfo_stop'),
    acctinputoctets: bigint('acctinputoctets', { mode: 'number' }),
    acctoutputoctets: bigint('acctoutputoctets', { mode: 'number' }),
    calledstationid: text('calledstationid'),
    callingstationid: text('callingstationid'),
    acctterminatecause: text('acctterminatecause'),
    servicetype: text('servicetype'),
    framedprotocol: text('framedprotocol'),
    framedipaddress: inet('framedipaddress'),
    framedipv6address: inet('framedipv6address'),
    framedipv6prefix: inet('framedipv6prefix'),
    framedinterfaceid: text('framedinterfaceid'),
    delegatedipv6prefix: inet('delegatedipv6prefix'),
    class: text('class'),
  },
  (t) => [
    uniqueIndex('radacct_acctuniqueid_uq').on(t.acctuniqueid),
    // Open sessions per NAS: a partial index holding only open rows, so the count is index-only and stays
    // small even with millions of closed sessions.
    index('radacct_open_nas_idx')
      .on(t.nasipaddress)
      .where(sql`${t.acctstoptime} is null`),
    // Deliberately no index on acctupdatetime: RADIUS interim updates rewrite every open session every few
    // minutes, and an index on that column would turn each of them into a non-HOT update of every index.
    index('radacct_open_framedip_idx')
      .on(t.framedipaddress)
      .where(sql`${t.acctstoptime} is null`),
    index('radacct_start_idx').on(t.acctstarttime),
  ],
);

export const subscribers = pgTable(
  'subscribers',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull().unique(),
    resellerId: integer('reseller_id').references(() => resellers.id, { onDelete: 'set null' }),
    nasId: integer('nas_id').references(() => nasDevices.id, { onDelete: 'set null' }),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('subscribers_nas_idx').on(t.nasId), index('subscribers_reseller_idx').on(t.resellerId)],
);
