// Runs queued plan pushes: a CoA rate change per listed session, a few at a time per NAS.
import { sql } from 'drizzle-orm';
import { loadActor, type Actor } from '@/server/auth/actor';
import { ADVISORY_LOCK_CLASSES, withTryAdvisoryLock } from '@/server/db/advisory-locks';
import { db, sqlClient } from '@/server/db/client';
import { NotFoundError } from '@/server/errors';
import { changeSessionRate } from './session-control';

export interface PlanPushRunOptions {
  log?: (line: string) => void;
  /** Stop taking new sessions after this long (the push stays running; the next turn resumes it). */
  sliceMs?: number;
}

/** A router is not a load generator: at most this many CoA exchanges in flight to one NAS. */
export const PER_NAS_CONCURRENCY = 4;
/** Sessions read per round; their results are written one by one as they come. */
const BATCH = 200;
/** Each turn ends within this (plus the sessions in flight), so stopping the panel never waits on a long push. */
const SLICE_MS = 20_000;

/**
 * Runs every queued or unfinished push this instance can lock. The advisory lock (class, push id) makes a push
 * run on one instance at a time; a push whose worker died is simply locked and resumed by the next one.
 */
export async function drainPlanPushes(opts: PlanPushRunOptions = {}): Promise<number> {
  const pushes = await db().execute<{ id: number }>(
    sql`select id from plan_pushes where state in ('queued', 'running') order by id limit 20`,
  );
  let ran = 0;
  for (const { id } of pushes) {
    const turn = await withTryAdvisoryLock(sqlClient(), [ADVISORY_LOCK_CLASSES.planPush, id], () => runPlanPush(id, opts));
    if (turn.locked && turn.value) ran++;
  }
  return ran;
}

/** One turn of one push, under its lock. False when there was nothing to do (another instance finished it). */
async function runPlanPush(id: number, opts: PlanPushRunOptions): Promise<boolean> {
  const [push] = await db().execute<{ createdBy: number | null }>(sql`
    update plan_pushes set state = 'running', started_at = coalesce(started_at, now())
    where id = ${id} and state in ('queued', 'running') returning created_by as "createdBy"`);
  if (!push) return false;

  const actor = push.createdBy === null ? null : await loadActor(push.createdBy);
  if (!actor?.permissions.has('sessions.disconnect')) {
    await db().execute(sql`update plan_pushes set state = 'failed', finished_at = now(),
      error = 'the user who started it can no longer change sessions (deactivated, or sessions.disconnect taken away)' where id = ${id}`);
    return true;
  }

  const until = Date.now() + (opts.sliceMs ?? SLICE_MS);
  while (Date.now() < until) {
    const batch = await db().execute<{ radacctId: number; nasId: number }>(sql`
      select radacct_id::float8 as "radacctId", nas_id as "nasId" from plan_push_items
      where push_id = ${id} and state = 'pending' order by radacct_id limit ${BATCH}`);
    if (batch.length === 0) {
      await db().execute(sql`update plan_pushes set state = 'done', finished_at = now() where id = ${id} and state = 'running'`);
      return true;
    }
    await forEachPerNas(batch, PER_NAS_CONCURRENCY, (item) => pushOne(actor, id, item.radacctId, opts));
  }
  return true;
}

/** One session: its result and the push's counters move together, once (a resumed push skips what is done). */
async function pushOne(actor: Actor, pushId: number, radacctId: number, opts: PlanPushRunOptions): Promise<void> {
  let state: 'ok' | 'failed' | 'skipped';
  let message: string;
  try {
    const outcome = await changeSessionRate(actor, radacctId);
    state = outcome.ok ? 'ok' : 'failed';
    message = outcome.message;
  } catch (e) {
    if (e instanceof NotFoundError) {
      state = 'skipped';
      message = 'the session ended (or left your scope) before its turn';
    } else {
      state = 'failed';
      message = 'an internal error stopped this one (see the panel log)';
      (opts.log ?? console.error)(`[plan-push] #${pushId} session ${radacctId}: ${(e as Error).message}`);
    }
  }
  await db().execute(sql`
    with item as (
      update plan_push_items set state = ${state}, message = ${message}
      where push_id = ${pushId} and radacct_id = ${radacctId} and state = 'pending' returning state)
    update plan_pushes set ok = ok + (select count(*) from item where state = 'ok'),
      failed = failed + (select count(*) from item where state = 'failed'),
      skipped = skipped + (select count(*) from item where state = 'skipped')
    where id = ${pushId}`);
}

/** Runs `fn` over items with at most `limit` in flight per NAS (NAS in parallel with each other). */
async function forEachPerNas<T extends { nasId: number }>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const byNas = new Map<number, T[]>();
  for (const item of items) byNas.set(item.nasId, [...(byNas.get(item.nasId) ?? []), item]);
  const lanes: Promise<void>[] = [];
  for (const queue of byNas.values()) {
    for (let lane = 0; lane < Math.min(limit, queue.length); lane++) {
      lanes.push(
        (async () => {
          for (let item = queue.shift(); item; item = queue.shift()) await fn(item);
        })(),
      );
    }
  }
  await Promise.all(lanes);
}
