import { sql, type SQL } from 'drizzle-orm';
import type { ListNasInput } from '@/lib/schemas/nas';
import type { Actor } from '@/server/auth/actor';
import type { NasList } from '@/server/api/outputs/nas';
import { db } from '@/server/db/client';
import { importStateSql } from '@/server/services/pools/pool-import-queue';
import { nasInScope } from './nas-scope';
import { nasViewColumns, openSessionCount, subscriberCount, toNasListItem, type NasViewRow } from './nas-read-model';

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
 * through the partial index on radacct (index-only, no per-row round trip). Raw SQL rather than the query
 * builder: the page-ids CTE is what made the first page cheap (docs/BENCHMARKS.md), and it is plainer here.
 */
// Built once: composing these fragments on every call cost more than the rest of the call's Node work.
const VIEW_COLUMNS = nasViewColumns('n');
const IMPORT_STATE = importStateSql('ps');
const TOTAL_USERS = subscriberCount('n');

export async function listNas(actor: Actor, input: ListNasInput): Promise<NasList> {
  const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const search = input.search
    ? sql`(n.name ilike ${pattern} or n.short_name ilike ${pattern} or host(n.ip_address) ilike ${pattern})`
    : sql`true`;
  const where = sql`${nasInScope(actor, sql`n.id`)} and ${search} and ${statusFilter[input.status]}`;
  const rows = await db().execute<NasViewRow & { total: number }>(sql`
    with page as (
      select n.id from nas_devices n
      where ${where}
      order by lower(n.name), n.id
      limit ${input.limit} offset ${input.offset}
    )
    select ${VIEW_COLUMNS},
           (select count(*)::int from nas_devices n where ${where}) as total,
           s."activeSessions", ${TOTAL_USERS} as "totalUsers", ${IMPORT_STATE} as "poolImportState", ps.error as "poolImportError"
    from page p
    join nas_devices n on n.id = p.id
    left join nas_pool_imports ps on ps.nas_id = n.id
    cross join lateral (select ${openSessionCount('n')} as "activeSessions") s
    order by lower(n.name), n.id`);
  return {
    total: rows.length ? Number(rows[0].total) : await countInScope(where),
    items: rows.map(toNasListItem),
  };
}

// Only reached when the requested page is past the end: the count then has no row to ride on.
async function countInScope(where: SQL) {
  const [row] = await db().execute<{ n: number }>(sql`select count(*)::int as n from nas_devices n where ${where}`);
  return row.n;
}
