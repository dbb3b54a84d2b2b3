import { sql } from 'drizzle-orm';
import { db, type DbOrTx } from '@/server/db/client';

export type PoolImportReason = 'create' | 'update' | 'sync';

/** Queue (or re-queue) a pool import for a NAS; call inside the transaction that saved the NAS. */
export async function queuePoolImport(q: DbOrTx, nasId: number, reason: PoolImportReason) {
  await q.execute(sql`
    insert into nas_pool_sync (nas_id, state, reason, generation, requested_at)
    values (${nasId}, 'queued', ${reason}, 1, now())
    on conflict (nas_id) do update
      set state = 'queued', reason = excluded.reason, generation = nas_pool_sync.generation + 1,
          requested_at = now(), error = ''`);
}

export interface ClaimedImport {
  nasId: number;
  generation: number;
  reason: PoolImportReason;
}

// An import whose worker died (process killed mid-way) is taken again after this long.
const STALE_AFTER = '5 minutes';

/** Take the oldest queued import; SKIP LOCKED lets several instances work the queue without doubling up. */
export async function claimNextImport(): Promise<ClaimedImport | null> {
  const [row] = await db().execute<{ nas_id: number; generation: number; reason: PoolImportReason }>(sql`
    update nas_pool_sync s set state = 'importing', started_at = now(), attempts = s.attempts + 1
    where s.nas_id = (
      select nas_id from nas_pool_sync
      where state = 'queued' or (state = 'importing' and started_at < now() - ${STALE_AFTER}::interval)
      order by requested_at
      for update skip locked
      limit 1
    )
    returning s.nas_id, s.generation, s.reason`);
  return row ? { nasId: row.nas_id, generation: row.generation, reason: row.reason } : null;
}

/** Record the outcome, unless a newer request arrived meanwhile: then the row stays queued for it. */
export async function finishImport(job: ClaimedImport, outcome: { ok: true; summary: unknown } | { ok: false; error: string }) {
  await db().execute(sql`
    update nas_pool_sync set
      state = ${outcome.ok ? 'done' : 'failed'},
      finished_at = now(),
      error = ${outcome.ok ? '' : outcome.error},
      summary = ${outcome.ok ? JSON.stringify(outcome.summary) : null}::jsonb
    where nas_id = ${job.nasId} and generation = ${job.generation} and state = 'importing'`);
}
