import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  inet,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
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
    // Open sessions per NAS, newest start first: partial indexes holding only open rows, small even with
    // millions of closed sessions. One NAS's sessions (its count, Accounting-On's close, the Sessions page's NAS
    // filter and a reseller's page, read in order) and everyone's (the admin's Sessions page). The start key is
    // never null (sessions/session-read-model.ts), so a keyset on it is one index range. Interim updates change
    // none of these columns and stay HOT.
    index('radacct_open_nas_start_idx')
      .on(t.nasipaddress, sql`coalesce(${t.acctstarttime}, 'epoch'::timestamptz) desc`, t.radacctid.desc().nullsFirst())
      .where(sql`${t.acctstoptime} is null`),
    index('radacct_open_start_idx')
      .on(sql`coalesce(${t.acctstarttime}, 'epoch'::timestamptz) desc`, t.radacctid.desc().nullsFirst())
      .where(sql`${t.acctstoptime} is null`),
    // The Sessions page's search by the start of a username, any case (lower(username) LIKE 'x%'); the
    // statistics on lower(username) in migration 0019 let the planner tell a rare prefix from a common one.
    index('radacct_open_username_prefix_idx')
      .on(sql`lower(${t.username}) text_pattern_ops`)
      .where(sql`${t.acctstoptime} is null`),
    // Deliberately no index on acctupdatetime: RADIUS interim updates rewrite every open session every few
    // minutes, and an index on that column would turn each of them into a non-HOT update of every index.
    index('radacct_open_framedip_idx')
      .on(t.framedipaddress)
      .where(sql`${t.acctstoptime} is null`),
    // No index on acctstarttime alone (FreeRADIUS's schema has one): nothing here reads a time range of every
    // user's sessions, and each index costs every Start and Stop an entry (migration 0022 dropped it).
    // A Start closes the same device's session whose Stop was lost (radius-service/accounting-writer.ts): found
    // by user among the open rows, not by scanning the thousands a BNG has open.
    index('radacct_open_user_idx')
      .on(t.username)
      .where(sql`${t.acctstoptime} is null`),
    // The Subscribers page: each row's last session and the detail's last 50, newest first without reading the
    // user's whole history (without it, a scan of every session: 260 ms per row shown at 2M sessions). Interim
    // updates touch neither column, so they stay HOT.
    index('radacct_user_start_idx').on(t.username, t.acctstarttime.desc().nullsLast()),
    // The subscriber search by MAC: an open or recent session's Calling-Station-Id (a 350 ms scan otherwise).
    index('radacct_calling_station_idx').on(t.callingstationid),
  ],
);

/**
 * Services & Plans: what a subscriber gets. Rates in kbit/s; MikroTik's Mikrotik-Rate-Limit or a generic BNG's
 * Filter-Id and WISPr bandwidth attributes are built from these by the RADIUS service.
 */
export const plans = pgTable('plans', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  downloadKbps: integer('download_kbps').notNull(),
  uploadKbps: integer('upload_kbps').notNull(),
  // MikroTik burst: up to these rates while the average stays under the threshold, averaged over burst time.
  burstDownloadKbps: integer('burst_download_kbps'),
  burstUploadKbps: integer('burst_upload_kbps'),
  burstThresholdDownloadKbps: integer('burst_threshold_download_kbps'),
  burstThresholdUploadKbps: integer('burst_threshold_upload_kbps'),
  burstTimeS: integer('burst_time_s'),
  // The class-map / policy name a generic BNG applies (the documentation's Cisco workflow).
  filterId: text('filter_id').notNull().default(''),
  framedPool: text('framed_pool').notNull().default(''),
  defaultNasId: integer('default_nas_id').references(() => nasDevices.id, { onDelete: 'set null' }),
  sessionTimeoutS: integer('session_timeout_s'),
  interimIntervalS: integer('interim_interval_s'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const subscribers = pgTable(
  'subscribers',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull().unique(),
    resellerId: integer('reseller_id').references(() => resellers.id, { onDelete: 'set null' }),
    nasId: integer('nas_id').references(() => nasDevices.id, { onDelete: 'set null' }),
    isActive: boolean('is_active').notNull().default(true),
    // A secret-box ciphertext bound to this row (PAP, CHAP and MS-CHAPv2 all need the password itself).
    passwordEnc: text('password_enc').notNull().default(''),
    planId: integer('plan_id').references(() => plans.id, { onDelete: 'restrict' }),
    staticIp: inet('static_ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('subscribers_nas_idx').on(t.nasId),
    index('subscribers_reseller_idx').on(t.resellerId),
    index('subscribers_plan_idx').on(t.planId),
    uniqueIndex('subscribers_static_ip_uq').on(t.staticIp),
    // The Subscribers page's search by the start of a username, case-insensitive (lower(username) LIKE 'x%'):
    // pattern ops, since the database's collation cannot serve LIKE (a 300 ms scan of 500,000 rows otherwise).
    index('subscribers_username_prefix_idx').on(sql`lower(${t.username}) text_pattern_ops`),
  ],
);

/**
 * Open sessions per NAS address, kept exact by a trigger on radacct in the transaction that opens or closes a
 * session: the NAS list reads a number instead of counting rows of a table under constant interim updates.
 */
export const nasSessionCounts = pgTable('nas_session_counts', {
  nasipaddress: inet('nasipaddress').primaryKey(),
  open: integer('open').notNull().default(0),
});

/** What a RADIUS process saw from each NAS, in hourly buckets (Test Connection, the NAS dashboard). */
export const nasRadiusStats = pgTable(
  'nas_radius_stats',
  {
    nasId: integer('nas_id')
      .notNull()
      .references(() => nasDevices.id, { onDelete: 'cascade' }),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    requests: integer('requests').notNull().default(0),
    accepts: integer('accepts').notNull().default(0),
    rejects: integer('rejects').notNull().default(0),
    accounting: integer('accounting').notNull().default(0),
    // Packets whose authenticator or Message-Authenticator did not verify with the NAS's secret.
    secretMismatches: integer('secret_mismatches').notNull().default(0),
    // Access-Requests dropped because they lacked a Message-Authenticator the NAS requires.
    missingMessageAuthenticator: integer('missing_message_authenticator').notNull().default(0),
    lastVerifiedAt: timestamp('last_verified_at', { withTimezone: true }),
    lastMismatchAt: timestamp('last_mismatch_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.nasId, t.hour] })],
);

/** Packets from addresses that are no NAS: dropped without a reply, and listed for someone to add. */
export const radiusUnknownClients = pgTable(
  'radius_unknown_clients',
  {
    sourceIp: inet('source_ip').primaryKey(),
    nasIdentifier: text('nas_identifier').notNull().default(''),
    nasIpAddress: text('nas_ip_address').notNull().default(''),
    firstSeen: timestamp('first_seen', { withTimezone: true }).notNull().defaultNow(),
    lastSeen: timestamp('last_seen', { withTimezone: true }).notNull().defaultNow(),
    packets: bigint('packets', { mode: 'number' }).notNull().default(0),
  },
  (t) => [index('radius_unknown_clients_last_seen_idx').on(t.lastSeen)],
);
