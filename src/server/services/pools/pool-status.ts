import { sql } from 'drizzle-orm';
import type { PoolStatus } from '@/server/api/outputs/nas';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { NotFoundError, RouterUnreachableError } from '@/server/errors';
import { nasInScope } from '@/server/services/nas/nas-scope';
import { hasApiCredentials, toIso } from '@/server/services/nas/nas-read-model';
import { importStateSql, queuePoolImport } from './pool-import-queue';
import { poolSummary } from './import-pools';

/** The import state and per-pool totals the NAS page polls while an import runs. */
export async function getPoolStatus(actor: Actor, nasId: number): Promise<PoolStatus> {
  const [row] = await db().execute<{
    id: number;
    state: PoolStatus['import']['state'];
    reason: string | null;
    error: string | null;
    attempts: number | null;
    next_attempt_at: string | null;
    requested_at: string | null;
    finished_at: string | null;
    summary: Record<string, number> | null;
  }>(sql`
    select n.id, ${importStateSql('s')} as state, s.reason, s.error, s.attempts, s.next_attempt_at, s.requested_at, s.finished_at, s.summary
    from nas_devices n left join nas_pool_imports s on s.nas_id = n.id
    where n.id = ${nasId} and ${nasInScope(actor, sql`n.id`)}`);
  if (!row) throw new NotFoundError(`NAS #${nasId}`);
  const s = row.summary;
  return {
    import: {
      state: row.state,
      reason: row.reason ?? '',
      error: row.error ?? '',
      attempts: row.attempts ?? 0,
      nextAttemptAt: toIso(row.next_attempt_at),
      requestedAt: toIso(row.requested_at),
      finishedAt: toIso(row.finished_at),
      lastResult: s
        ? {
            addresses: s.addresses ?? 0,
            added: s.added ?? 0,
            updated: s.updated ?? 0,
            removed: s.removed ?? 0,
            inUse: s.inUse ?? 0,
            pppActive: s.pppActive ?? 0,
          }
        : null,
    },
    pools: await poolSummary(nasId),
  };
}

/** The Sync pools button: queue a full re-import (the worker runs it); the UI follows its state. */
export async function requestPoolImport(actor: Actor, nasId: number): Promise<PoolStatus> {
  await db().transaction(async (tx) => {
    const [n] = await tx.execute<{ id: number; has_api: boolean; name: string }>(sql`
      select n.id, n.name, ${hasApiCredentials('n')} as has_api
      from nas_devices n where n.id = ${nasId} and ${nasInScope(actor, sql`n.id`)} for update of n`);
    if (!n) throw new NotFoundError(`NAS #${nasId}`);
    if (!n.has_api) {
      throw new RouterUnreachableError(
        `NAS ${n.name} has no MikroTik API credentials: add an API username and password to import its pools`,
      );
    }
    await queuePoolImport(tx, nasId, 'sync');
  });
  return getPoolStatus(actor, nasId);
}
