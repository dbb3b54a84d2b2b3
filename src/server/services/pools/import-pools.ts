import { sql } from 'drizzle-orm';
import { env } from '@/env';
import { countPoolRanges, expandPoolRangesToUint32, PoolRangeError } from '@/lib/ip-range';
import { SYSTEM_ACTOR } from '@/server/auth/actor';
import { ADVISORY_LOCK_CLASSES } from '@/server/db/advisory-locks';
import { db, type DbOrTx } from '@/server/db/client';
import { pgIntArray, pgTextArray } from '@/server/db/pg-array';
import { DomainError } from '@/server/errors';
import { readIpPools, readPppActive, type RouterIpPool, type RouterPppActive } from '@/server/integrations/routeros';
import { openSessionsOf } from '@/server/services/nas/nas-read-model';
import { withNasRouterOs } from '@/server/services/nas/nas-router-session';
import { API_PASSWORD_UNREADABLE } from '@/server/services/nas/nas-secrets';
import { loadNasConnection } from '@/server/services/nas/nas-target';
import { POOL_IMPORT_LOG_LABELS, type PoolImportReason } from './pool-import-queue';

export class PoolImportError extends DomainError {}

export interface PoolSummary {
  name: string;
  total: number;
  inUse: number;
  available: number;
}

export interface PoolImportResult {
  pools: PoolSummary[];
  addresses: number;
  added: number;
  updated: number;
  removed: number;
  inUse: number;
  pppActive: number;
}

/**
 * The full re-import of a router's pools: read `/ip/pool` and `/ppp/active` (outside any transaction, each
 * call under its deadline), then apply everything in one transaction. Running it twice changes nothing the
 * second time; a router failing mid-way fails before the transaction, leaving the previous data intact.
 */
export async function importPools(
  nasId: number,
  opts: { log?: (line: string) => void; reason?: PoolImportReason } = {},
): Promise<PoolImportResult> {
  const nas = await loadNasConnection(SYSTEM_ACTOR, nasId);
  if (nas.unreadable.apiPassword) throw new PoolImportError(`NAS ${nas.name}: ${API_PASSWORD_UNREADABLE}`);
  if (!nas.api) throw new PoolImportError(`NAS ${nas.name} has no API credentials: pools can only be read through the MikroTik API`);
  const label = POOL_IMPORT_LOG_LABELS[opts.reason ?? 'sync'];
  opts.log?.(`${label}: Auto-importing IP pools from NAS ${nas.name} (${nas.ipAddress})`);
  const { pools, active } = await withNasRouterOs({ id: nas.id, api: nas.api }, async (s) => ({
    pools: await readIpPools(s),
    active: await readPppActive(s),
  }));
  const expanded = expandPools(pools);
  const result = await applyPoolImport(nasId, expanded, active);
  opts.log?.(`${label}: Auto-imported ${result.addresses} IPs from ${nas.name}`);
  opts.log?.(`${label}: Synced ${result.pppActive} active sessions from ${nas.name}`);
  return result;
}

interface ExpandedPools {
  names: string[];
  /** Address as uint32, and the index of its pool in `names`; an address in two pools goes to the first. */
  ips: number[];
  poolIdx: number[];
}

/**
 * Every pool's addresses, deduplicated. Sizes are counted from the ranges first (no allocation per address),
 * so a router announcing a thousand /16s is refused before a single one is expanded.
 */
export function expandPools(pools: RouterIpPool[]): ExpandedPools {
  const { POOL_IMPORT_MAX_ADDRESSES: max, POOL_IMPORT_MAX_TOTAL: maxTotal } = env();
  let total = 0;
  for (const pool of pools) {
    total += refuseBadRanges(() => countPoolRanges(pool.ranges, { poolName: pool.name }));
  }
  if (total > maxTotal) {
    throw new PoolImportError(
      `pool import refused: the router's ${pools.length} pools hold ${total.toLocaleString('en')} addresses, more than the ${maxTotal.toLocaleString('en')} one import may take (POOL_IMPORT_MAX_TOTAL)`,
    );
  }
  const seen = new Set<number>();
  const out: ExpandedPools = { names: [], ips: [], poolIdx: [] };
  for (const pool of pools) {
    const addrs = refuseBadRanges(() => expandPoolRangesToUint32(pool.ranges, { maxAddresses: max, poolName: pool.name }));
    const idx = out.names.push(pool.name);
    for (const a of addrs) {
      if (seen.has(a)) continue;
      seen.add(a);
      out.ips.push(a);
      out.poolIdx.push(idx); // 1-based: PostgreSQL arrays
    }
  }
  return out;
}

/** A range we will not expand (malformed, or a pool over its cap) refuses the whole import. */
function refuseBadRanges<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PoolRangeError) throw new PoolImportError(`pool import refused: ${e.message}`);
    throw e;
  }
}

/** The write half of an import: one transaction under the NAS's pool-import lock (exported for the tests that race it). */
export async function applyPoolImport(nasId: number, pools: ExpandedPools, active: RouterPppActive[]): Promise<PoolImportResult> {
  const activeIps = active.map((a) => a.address).filter((a): a is string => !!a && /^[0-9a-f.:]+$/i.test(a));
  return db().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCK_CLASSES.poolImport}, ${nasId})`);
    // Both sets as temp tables with keys: the joins below are then hash/merge joins over /16-sized sets.
    await tx.execute(sql`create temp table incoming (ip inet primary key, pool text not null) on commit drop`);
    await tx.execute(sql`
      insert into incoming (ip, pool)
      select '0.0.0.0'::inet + t.n, (${pgTextArray(pools.names)}::text[])[t.p]
      from unnest(${pgIntArray(pools.ips)}::int8[], ${pgIntArray(pools.poolIdx)}::int4[]) as t(n, p)`);
    await tx.execute(sql`create temp table in_use (ip inet primary key) on commit drop`);
    await tx.execute(sql`
      insert into in_use (ip)
      select a::inet from unnest(${pgTextArray(activeIps)}::text[]) a
      union
      select r.framedipaddress from radacct r join nas_devices n on n.id = ${nasId}
      where ${openSessionsOf('n', 'r')} and r.framedipaddress is not null
      on conflict do nothing`);
    await tx.execute(sql`analyze incoming; analyze in_use`);
    const [up] = await tx.execute<{ added: number; updated: number }>(sql`
      with up as (
        insert into ip_pool_assignments as a (nas_id, pool_name, ip_address, status, updated_at)
        select ${nasId}, i.pool, i.ip, case when u.ip is null then 'available' else 'in_use' end, now()
        from incoming i left join in_use u on u.ip = i.ip
        on conflict (nas_id, ip_address) do update
          set pool_name = excluded.pool_name, status = excluded.status, updated_at = now()
          where (a.pool_name, a.status) is distinct from (excluded.pool_name, excluded.status)
        returning (xmax = 0) as inserted
      )
      select count(*) filter (where inserted)::int as added, count(*) filter (where not inserted)::int as updated from up`);
    // Addresses no pool has any more: kept (as in use) while a session holds one, dropped otherwise.
    const [gone] = await tx.execute<{ removed: number }>(sql`
      with d as (
        delete from ip_pool_assignments a
        where a.nas_id = ${nasId}
          and not exists (select 1 from incoming i where i.ip = a.ip_address)
          and not exists (select 1 from in_use u where u.ip = a.ip_address)
        returning 1
      ) select count(*)::int as removed from d`);
    const [kept] = await tx.execute<{ n: number }>(sql`
      with k as (
        update ip_pool_assignments a set status = 'in_use', updated_at = now()
        where a.nas_id = ${nasId} and a.status <> 'in_use'
          and not exists (select 1 from incoming i where i.ip = a.ip_address)
          and exists (select 1 from in_use u where u.ip = a.ip_address)
        returning 1
      ) select count(*)::int as n from k`);
    const summary = await poolSummary(nasId, tx);
    return {
      pools: summary,
      addresses: pools.ips.length,
      added: up.added,
      updated: up.updated + kept.n,
      removed: gone.removed,
      inUse: summary.reduce((s, p) => s + p.inUse, 0),
      pppActive: active.length,
    };
  });
}

export async function poolSummary(nasId: number, q: DbOrTx = db()): Promise<PoolSummary[]> {
  const rows = await q.execute<{ name: string; total: number; in_use: number }>(sql`
    select pool_name as name, count(*)::int as total, count(*) filter (where status = 'in_use')::int as in_use
    from ip_pool_assignments where nas_id = ${nasId} group by pool_name order by pool_name`);
  return rows.map((r) => ({ name: r.name, total: r.total, inUse: r.in_use, available: r.total - r.in_use }));
}
