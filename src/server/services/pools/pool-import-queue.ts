import { sql, type SQL } from 'drizzle-orm';
import { env } from '@/env';
import { db, type DbOrTx } from '@/server/db/client';
import { pgIntArray } from '@/server/db/pg-array';

/** What queued the import; 'sync' is the Sync pools button (the spec's name for the action). */
export type PoolImportReason = 'create' | 'update' | 'sync';

/** How an import's log lines start, by reason (the spec's "NAS Create: Auto-importing IP pools …"). */
export const POOL_IMPORT_LOG_LABELS = { create: 'NAS Create', update: 'NAS Update', sync: 'NAS Sync' } as const satisfies Record<
  PoolImportReason,
  string
>;

/** The state the UI shows: a queued retry that is not due yet reads 'retrying' (it waits, and says why). */
export function importStateSql(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`coalesce(case when ${a}.state = 'queued' and ${a}.next_attempt_at > now() then 'retrying' else ${a}.state end, 'none')`;
}

/**
 * Why an import failed, which decides whether it is tried again by itself: 'unreachable' (the router did not
 * answer: retried with backoff, and again when the heartbeat hears it) or 'refused' (it answered something
 * we will not import, or refused the login: nothing changes by waiting; Sync pools tries again).
 */
export type PoolImportFailureKind = 'unreachable' | 'refused';

/** Queue (or re-queue) a pool import for a NAS; call inside the transaction that saved the NAS. */
export async function queuePoolImport(q: DbOrTx, nasId: number, reason: PoolImportReason) {
  await q.execute(sql`
    insert into nas_pool_imports (nas_id, state, reason, generation, requested_at)
    values (${nasId}, 'queued', ${reason}, 1, now())
    on conflict (nas_id) do update
      set state = 'queued', reason = excluded.reason, generation = nas_pool_imports.generation + 1,
          requested_at = now(), error = '', failure_kind = '', attempts = 0, next_attempt_at = null`);
}

export interface ClaimedImport {
  nasId: number;
  generation: number;
  reason: PoolImportReason;
  attempts: number;
}

// An import whose worker died (process killed mid-way) is taken again after this long.
const STALE_AFTER = '5 minutes';

/**
 * Take the oldest due import; SKIP LOCKED lets several instances work the queue without doubling up. An
 * import interrupted (its worker died) as many times as retries are allowed is given up, so a router whose
 * import crashes the worker cannot take it down again and again.
 */
export async function claimNextImport(): Promise<ClaimedImport | null> {
  const maxAttempts = env().POOL_IMPORT_MAX_ATTEMPTS;
  await db().execute(sql`
    update nas_pool_imports set state = 'failed', finished_at = now(), failure_kind = 'refused',
      error = 'the import was interrupted ' || attempts || ' times (the panel stopped while importing): press Sync pools to try again'
    where state = 'importing' and started_at < now() - ${STALE_AFTER}::interval and attempts >= ${maxAttempts}`);
  const [row] = await db().execute<{ nas_id: number; generation: number; reason: PoolImportReason; attempts: number }>(sql`
    update nas_pool_imports s set state = 'importing', started_at = now(), attempts = s.attempts + 1
    where s.nas_id = (
      select nas_id from nas_pool_imports
      where (state = 'queued' and (next_attempt_at is null or next_attempt_at <= now()))
         or (state = 'importing' and started_at < now() - ${STALE_AFTER}::interval)
      order by requested_at
      for update skip locked
      limit 1
    )
    returning s.nas_id, s.generation, s.reason, s.attempts`);
  return row ? { nasId: row.nas_id, generation: row.generation, reason: row.reason, attempts: row.attempts } : null;
}

/** Seconds before retry number `attempt` (1-based): 30 s, 1, 2, 4 min … capped at 15 min. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(30 * 2 ** (attempt - 1), 900);
}

export type ImportOutcome = { ok: true; summary: unknown } | { ok: false; error: string; kind: PoolImportFailureKind };

/**
 * Record the outcome, unless a newer request arrived meanwhile: then the row stays queued for it. A router
 * that did not answer is tried again later, a bounded number of times.
 */
export async function finishImport(job: ClaimedImport, outcome: ImportOutcome): Promise<'done' | 'retry' | 'failed'> {
  const retry = !outcome.ok && outcome.kind === 'unreachable' && job.attempts < env().POOL_IMPORT_MAX_ATTEMPTS;
  const state = outcome.ok ? 'done' : retry ? 'queued' : 'failed';
  await db().execute(sql`
    update nas_pool_imports set
      state = ${state},
      finished_at = now(),
      error = ${outcome.ok ? '' : outcome.error},
      failure_kind = ${outcome.ok ? '' : outcome.kind},
      next_attempt_at = ${retry ? sql`now() + ${`${retryDelaySeconds(job.attempts)} seconds`}::interval` : null},
      summary = ${outcome.ok ? JSON.stringify(outcome.summary) : null}::jsonb
    where nas_id = ${job.nasId} and generation = ${job.generation} and state = 'importing'`);
  return state === 'queued' ? 'retry' : state;
}

/**
 * Routers the heartbeat just heard: an import that failed because they did not answer is queued again (a
 * first start before `npm run sim`, a router back from an outage), with its attempts reset.
 */
export async function retryImportsOfAnswering(nasIds: number[]): Promise<number> {
  if (!nasIds.length) return 0;
  const rows = await db().execute(sql`
    update nas_pool_imports set state = 'queued', attempts = 0, next_attempt_at = null, requested_at = now()
    where nas_id = any(${pgIntArray(nasIds)}::int4[]) and state = 'failed' and failure_kind = 'unreachable'
    returning nas_id`);
  return rows.length;
}
