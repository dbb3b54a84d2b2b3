import { sql, type SQL } from 'drizzle-orm';
import type { NasDetail, NasListItem } from '@/server/api/outputs/nas';
import type { nasDevices } from '@/server/db/schema';

/**
 * The NAS read model: the SQL pieces every reader of NAS rows shares, the row shape, and the one mapper from
 * a row to what the browser may see (through the output schemas in src/server/api/outputs/nas.ts).
 * `n` is the alias of nas_devices in the caller's statement.
 */
const col = (n: string, c: string) => sql.raw(`${n}.${c}`);

/** radacct rows `r` that are sessions open on NAS `n` now; the partial index on open rows serves it. */
export function openSessionsOf(n = 'n', r = 'r'): SQL {
  return sql`${col(r, 'nasipaddress')} = ${col(n, 'ip_address')} and ${col(r, 'acctstoptime')} is null`;
}

/**
 * How many sessions are open on the NAS now: the count a trigger on radacct keeps exact in the transaction that
 * opens or closes each session (migration 0012), not a count over a table under constant interim updates.
 */
export function openSessionCount(n = 'n'): SQL<number> {
  return sql<number>`coalesce((select c.open from nas_session_counts c where c.nasipaddress = ${col(n, 'ip_address')}), 0)`;
}

/**
 * Total Users: the NAS's subscribers, from the count statement-level triggers on subscribers keep exact
 * (migration 0014), not a count over 500,000 subscribers per request.
 */
export function subscriberCount(n = 'n'): SQL<number> {
  return sql<number>`coalesce((select c.subscribers from nas_subscriber_counts c where c.nas_id = ${col(n, 'id')}), 0)`;
}

/** A MikroTik the panel can log in to: API username and password set. */
export function hasApiCredentials(n = 'n'): SQL<boolean> {
  return sql<boolean>`(${col(n, 'type')} = 'mikrotik' and ${col(n, 'api_username')} <> '' and ${col(n, 'api_password_enc')} <> '')`;
}

export type NasRow = typeof nasDevices.$inferSelect;

/** The columns of a NAS row a view is built from, plus what a view statement computes beside them. */
export type NasViewRow = Pick<
  NasRow,
  'id' | 'name' | 'shortName' | 'ipAddress' | 'type' | 'isActive' | 'isOnline' | 'lastSeen' | 'version' | 'apiUsername'
> & {
  /** Whether a ciphertext is stored: the rows a view is built from never carry the ciphertexts. */
  hasSecret: boolean;
  hasApiPassword: boolean;
  activeSessions: number;
  totalUsers: number;
  poolImportState: NasListItem['poolImportState'];
  poolImportError: string | null;
};

/** The list columns, camelCase, for raw statements whose rows feed `toNasListItem`. */
export function nasViewColumns(n = 'n'): SQL {
  const c = (name: string, as: string) => sql.raw(`${n}.${name} as "${as}"`);
  return sql.join(
    [
      c('id', 'id'),
      c('name', 'name'),
      c('short_name', 'shortName'),
      sql.raw(`host(${n}.ip_address) as "ipAddress"`),
      c('type', 'type'),
      c('is_active', 'isActive'),
      c('is_online', 'isOnline'),
      c('last_seen', 'lastSeen'),
      c('version', 'version'),
      sql.raw(`${n}.secret_enc <> '' as "hasSecret"`),
      sql.raw(`${n}.api_password_enc <> '' as "hasApiPassword"`),
      c('api_username', 'apiUsername'),
    ],
    sql`, `,
  );
}

export function toNasListItem(r: NasViewRow): NasListItem {
  return {
    id: r.id,
    name: r.name,
    shortName: r.shortName,
    ipAddress: r.ipAddress,
    type: r.type,
    isActive: r.isActive,
    isOnline: r.isOnline,
    lastSeen: toIso(r.lastSeen),
    version: r.version,
    activeSessions: r.activeSessions,
    totalUsers: r.totalUsers,
    hasSecret: r.hasSecret,
    hasApiPassword: r.hasApiPassword,
    hasApiCredentials: r.type === 'mikrotik' && r.apiUsername !== '' && r.hasApiPassword,
    poolImportState: r.poolImportState,
    poolImportError: r.poolImportError ?? '',
  };
}

/** The detail view: the list item plus the editable fields (secrets only as flags) and what the page adds. */
export function toNasDetail(
  r: NasViewRow & NasRow,
  extra: Pick<NasDetail, 'secretUnreadable' | 'apiPasswordUnreadable' | 'resellers'>,
): NasDetail {
  return {
    ...toNasListItem(r),
    ...extra,
    description: r.description,
    authPort: r.authPort,
    acctPort: r.acctPort,
    coaPort: r.coaPort,
    apiUsername: r.apiUsername,
    apiPort: r.apiPort,
    apiSslPort: r.apiSslPort,
    useSsl: r.useSsl,
    tlsAllowAnonymous: r.tlsAllowAnonymous,
    requireMessageAuthenticator: r.requireMessageAuthenticator,
    tlsFingerprint: r.tlsFingerprint,
    tlsSeenFingerprint: r.tlsSeenFingerprint,
    apiHost: r.apiHost,
    subscriberPools: r.subscriberPools,
    allowedRealms: r.allowedRealms,
    createdAt: toIso(r.createdAt)!,
    updatedAt: toIso(r.updatedAt)!,
  };
}

/** Timestamps as the browser gets them: ISO 8601 strings. */
export function toIso(v: Date | string | null): string | null {
  if (v === null) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}
