import { sql, type SQL } from 'drizzle-orm';
import type { ListNasInput } from '@/lib/schemas/nas';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { importStateSql } from '@/server/services/pools/pool-import-queue';
import { nasInScope } from './nas-scope';
import { toIso, type NasListItem } from './nas-view';

export interface NasListResult {
  items: NasListItem[];
  total: number;
}

const statusFilter = {
  all: sql`true`,
  online: sql`n.is_online`,
  offline: sql`not n.is_online`,
  active: sql`n.is_active`,
  inactive: sql`not n.is_active`,
} as const;

/**
 * One statement for the whole page: pick the page's ids first (through the index on lower(name), id, so
 * only the rows shown are read), count the matches apart, then count open sessions for just those rows
 * through the partial index on radacct (index-only, no per-row round trip).
 */
export async function listNas(actor: Actor, input: ListNasInput): Promise<NasListResult> {
  const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const search = input.search
    ? sql`(n.name ilike ${pattern} or n.short_name ilike ${pattern} or host(n.ip_address) ilike ${pattern})`
    : sql`true`;
  const where = sql`${nasInScope(actor, sql`n.id`)} and ${search} and ${statusFilter[input.status]}`;
  const rows = await db().execute<{
    id: number; name: string; short_name: string; ip: string; type: 'mikrotik' | 'generic';
    is_active: boolean; is_online: boolean; last_seen: string | null; version: string;
    has_secret: boolean; has_api_password: boolean; has_api_username: boolean; active_sessions: number; total: number;
    pool_state: NasListItem['poolImportState']; pool_error: string | null;
  }>(sql`
    with page as (
      select n.id from nas_devices n
      where ${where}
      order by lower(n.name), n.id
      limit ${input.limit} offset ${input.offset}
    )
    select n.id, n.name, n.short_name, host(n.ip_address) as ip, n.type, n.is_active, n.is_online, n.last_seen, n.version,
           n.secret_enc <> '' as has_secret, n.api_password_enc <> '' as has_api_password, n.api_username <> '' as has_api_username,
           (select count(*)::int from nas_devices n where ${where}) as total,
           s.active_sessions, ${importStateSql('ps')} as pool_state, ps.error as pool_error
    from page p
    join nas_devices n on n.id = p.id
    left join nas_pool_sync ps on ps.nas_id = n.id
    cross join lateral (
      select count(*)::int as active_sessions from radacct r
      where r.nasipaddress = n.ip_address and r.acctstoptime is null
    ) s
    order by lower(n.name), n.id`);
  return {
    total: rows.length ? Number(rows[0].total) : await countInScope(where),
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      shortName: r.short_name,
      ipAddress: r.ip,
      type: r.type,
      isActive: r.is_active,
      isOnline: r.is_online,
      lastSeen: toIso(r.last_seen),
      version: r.version,
      activeSessions: r.active_sessions,
      hasSecret: r.has_secret,
      hasApiPassword: r.has_api_password,
      hasApiCredentials: r.has_api_username && r.has_api_password,
      poolImportState: r.pool_state,
      poolImportError: r.pool_error ?? '',
    })),
  };
}

// Only reached when the requested page is past the end: the count then has no row to ride on.
async function countInScope(where: SQL) {
  const [row] = await db().execute<{ n: number }>(sql`select count(*)::int as n from nas_devices n where ${where}`);
  return row.n;
}
