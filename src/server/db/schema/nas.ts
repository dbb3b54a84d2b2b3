import { sql } from 'drizzle-orm';
import { boolean, check, index, inet, integer, pgEnum, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const nasType = pgEnum('nas_type', ['mikrotik', 'generic']);

export const nasDevices = pgTable(
  'nas_devices',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    shortName: text('short_name').notNull().default(''),
    // inet compares canonically, so 2001:db8::1 and 2001:0db8:0:0::1 collide in the unique index.
    ipAddress: inet('ip_address').notNull(),
    type: nasType('type').notNull().default('mikrotik'),
    description: text('description').notNull().default(''),
    isActive: boolean('is_active').notNull().default(true),
    // AES-256-GCM ciphertexts (src/server/crypto/secret-box.ts); '' means "not set".
    secretEnc: text('secret_enc').notNull().default(''),
    authPort: integer('auth_port').notNull().default(1812),
    acctPort: integer('acct_port').notNull().default(1813),
    coaPort: integer('coa_port').notNull().default(1700),
    apiUsername: text('api_username').notNull().default(''),
    apiPasswordEnc: text('api_password_enc').notNull().default(''),
    apiPort: integer('api_port').notNull().default(8728),
    apiSslPort: integer('api_ssl_port').notNull().default(8729),
    useSsl: boolean('use_ssl').notNull().default(false),
    // Where the panel reaches the API when it differs from the RADIUS source IP; '' = use ip_address.
    apiHost: text('api_host').notNull().default(''),
    subscriberPools: text('subscriber_pools').notNull().default(''),
    allowedRealms: text('allowed_realms').notNull().default(''),
    isOnline: boolean('is_online').notNull().default(false),
    lastSeen: timestamp('last_seen', { withTimezone: true }),
    version: text('version').notNull().default(''),
    // api-ssl certificate pinning: the SHA-256 fingerprint of the first certificate seen ('' = none pinned
    // yet), and the different one a later connection met, until someone trusts it from the NAS page.
    tlsFingerprint: text('tls_fingerprint').notNull().default(''),
    tlsSeenFingerprint: text('tls_seen_fingerprint').notNull().default(''),
    // A router without a certificate offers anonymous Diffie-Hellman only: allowed when the NAS says so.
    tlsAllowAnonymous: boolean('tls_allow_anonymous').notNull().default(false),
    // BlastRADIUS (CVE-2024-3596): Access-Requests without Message-Authenticator are dropped (FreeRADIUS 3.2.9's
    // default; RouterOS >= 7.15 sends it). Off only for NAS that cannot send it.
    requireMessageAuthenticator: boolean('require_message_authenticator').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('nas_devices_ip_uq').on(t.ipAddress),
    // The NAS list's order: its first page reads just the rows it shows.
    index('nas_devices_name_order_idx').on(sql`lower(${t.name})`, t.id),
    check(
      'nas_devices_ports_ck',
      sql`${t.authPort} between 1 and 65535 and ${t.acctPort} between 1 and 65535 and ${t.coaPort} between 1 and 65535 and ${t.apiPort} between 1 and 65535 and ${t.apiSslPort} between 1 and 65535`,
    ),
  ],
);
