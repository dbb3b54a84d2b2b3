import { and, eq, sql } from 'drizzle-orm';
import { env } from '@/env';
import { mapBounded } from '@/lib/concurrency';
import { ADVISORY_LOCKS, withTryAdvisoryLock } from '@/server/db/advisory-locks';
import { db, sqlClient } from '@/server/db/client';
import { nasDevices } from '@/server/db/schema';
import { pgIntArray, pgTextArray } from '@/server/db/pg-array';
import { readSystemInfo, routerDeadlines, type SessionDeadlines } from '@/server/integrations/routeros';
import { withNasRouterOs } from './nas-router-session';
import { retryImportsOfAnswering } from '@/server/services/pools/pool-import-queue';
import { hasApiCredentials, openSessionsOf } from './nas-read-model';
import { loadNasConnections } from './nas-target';

export interface HeartbeatResult {
  ran: boolean;
  polled: number;
  answered: number;
  online: number;
  offline: number;
  /** Pool imports queued again because their router, which had not answered them, answered now. */
  importsRetried: number;
  ms: number;
}

/**
 * Poll every active MikroTik with API credentials (`/system/resource/print`, bounded concurrency, each under
 * its own deadline), then set online/offline for every NAS in two bulk statements. NAS rows without API
 * credentials follow their accounting: last_seen is the newest radacct update for their IP.
 * The scheduled job runs it with `lock: false` under the runner's lock; a direct call (tests, the bench) takes
 * the same advisory lock, so it never overlaps a scheduled sweep (`ran: false` when one is under way).
 */
export async function heartbeatSweep(
  opts: { concurrency?: number; timeoutMs?: number; offlineAfterMs?: number; lock?: boolean } = {},
): Promise<HeartbeatResult> {
  const started = Date.now();
  const concurrency = opts.concurrency ?? env().HEARTBEAT_CONCURRENCY;
  // `timeoutMs` (tests, the bench) shortens both waits at once; otherwise the heartbeat profile.
  const deadlines = opts.timeoutMs ? { connectMs: opts.timeoutMs, commandMs: opts.timeoutMs } : routerDeadlines().heartbeat;
  const offlineAfterMs = opts.offlineAfterMs ?? env().NAS_OFFLINE_AFTER_MS;

  if (opts.lock === false) return sweep(concurrency, deadlines, offlineAfterMs, started);
  const r = await withTryAdvisoryLock(sqlClient(), ADVISORY_LOCKS.heartbeatJob, () =>
    sweep(concurrency, deadlines, offlineAfterMs, started),
  );
  return r.locked ? r.value : { ran: false, polled: 0, answered: 0, online: 0, offline: 0, importsRetried: 0, ms: Date.now() - started };
}

async function sweep(concurrency: number, deadlines: SessionDeadlines, offlineAfterMs: number, started: number): Promise<HeartbeatResult> {
  const rows = await loadNasConnections(and(eq(nasDevices.isActive, true), hasApiCredentials('nas_devices')));

  const answers = await mapBounded(rows, concurrency, async (r) => {
    // A password no key opens leaves no target: that router cannot be polled until it is set anew.
    const target = r.api;
    if (!target) return null;
    try {
      const info = await withNasRouterOs({ id: r.id, api: { ...target, deadlines } }, readSystemInfo);
      return { id: r.id, version: info.version, at: new Date().toISOString() };
    } catch {
      return null; // unreachable this round; the offline rule below decides what that means
    }
  });
  const seen = answers.filter((a): a is NonNullable<typeof a> => a !== null);
  const importsRetried = await retryImportsOfAnswering(seen.map((s) => s.id));

  const apiIds = rows.map((r) => r.id);
  await db().execute(sql`
    update nas_devices n set version = v.version, last_seen = v.at, updated_at = n.updated_at
    from unnest(${pgIntArray(seen.map((s) => s.id))}::int4[], ${pgTextArray(seen.map((s) => s.version))}::text[], ${pgTextArray(seen.map((s) => s.at))}::timestamptz[]) as v(id, version, at)
    where n.id = v.id`);
  // Without API credentials, a NAS is alive while its open sessions send accounting (the spec: "any active
  // session in the last 5 minutes"): the newest start or interim update among its open sessions, found
  // through the partial open-session index, in the background every sweep.
  await db().execute(sql`
    update nas_devices n set last_seen = a.at
    from (
      select n2.id, (select max(greatest(r.acctstarttime, r.acctupdatetime)) from radacct r where ${openSessionsOf('n2', 'r')}) as at
      from nas_devices n2
      where not (n2.id = any(${pgIntArray(apiIds)}::int4[]))
    ) a
    where n.id = a.id and a.at is not null and (n.last_seen is null or a.at > n.last_seen)`);
  const fresh = sql`coalesce(last_seen > now() - ${`${offlineAfterMs} milliseconds`}::interval, false)`;
  await db().execute(sql`update nas_devices set is_online = ${fresh} where is_online is distinct from ${fresh}`);
  const [counts] = await db().execute<{ online: number; offline: number }>(sql`
    select count(*) filter (where is_online)::int as online, count(*) filter (where not is_online)::int as offline from nas_devices`);
  return {
    ran: true,
    polled: rows.length,
    answered: seen.length,
    online: counts.online,
    offline: counts.offline,
    importsRetried,
    ms: Date.now() - started,
  };
}
