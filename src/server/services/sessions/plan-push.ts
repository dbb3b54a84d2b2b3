// "Apply to the N online sessions now": count, start and follow a live plan change (plan-push-run.ts runs it).
import { sql, type SQL } from 'drizzle-orm';
import type { PlanPushTarget } from '@/lib/schemas/session-control';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { ConflictError, NotFoundError } from '@/server/errors';
import { nasInScope } from '@/server/services/nas/nas-scope';
import { subscriberInScope } from '@/server/services/subscribers/subscriber-scope';

export type PlanPushState = 'queued' | 'running' | 'done' | 'failed';

export type PlanPush = {
  id: number;
  planName: string;
  state: PlanPushState;
  total: number;
  done: number;
  ok: number;
  failed: number;
  skipped: number;
  error: string;
  /** The first failures, each with the control outcome's sentence. */
  failures: Array<{ sessionId: number; username: string | null; nasName: string | null; message: string }>;
  createdAt: string;
  finishedAt: string | null;
};

const FAILURES_SHOWN = 50;

/**
 * The open sessions a push reaches, as `radacct r` joined to its NAS `n`: those of the plan's subscribers (or of
 * one subscriber in scope), on a NAS in the actor's scope. From subscribers, through the open-sessions-by-user index.
 */
function sessionsOf(actor: Actor, target: PlanPushTarget): SQL {
  const who =
    'subscriberId' in target
      ? sql`s.id = ${target.subscriberId} and ${subscriberInScope(actor, sql`s.reseller_id`)}`
      : sql`s.plan_id = ${target.planId}`;
  return sql`from subscribers s
    join radacct r on r.username = s.username and r.acctstoptime is null
    join nas_devices n on n.ip_address = r.nasipaddress
    where ${who} and s.plan_id is not null and ${nasInScope(actor, sql`n.id`)}`;
}

/** How many sessions "Apply now" would reach. */
export async function countPlanPushSessions(actor: Actor, target: PlanPushTarget): Promise<{ sessions: number }> {
  const [row] = await db().execute<{ n: number }>(sql`select count(*)::int as n ${sessionsOf(actor, target)}`);
  return { sessions: row.n };
}

/**
 * Lists the sessions and queues the push, in one transaction. A push already queued or running for the same
 * target by the same user is returned instead of starting a second (a double click sends each CoA once).
 */
export async function startPlanPush(actor: Actor, target: PlanPushTarget): Promise<PlanPush> {
  const id = await db().transaction(async (tx) => {
    const subscriberId = 'subscriberId' in target ? target.subscriberId : null;
    const planId = 'planId' in target ? target.planId : null;
    const planSql =
      planId !== null
        ? sql`select id, name from plans where id = ${planId}`
        : sql`
        select p.id, p.name from subscribers s join plans p on p.id = s.plan_id
        where s.id = ${subscriberId} and ${subscriberInScope(actor, sql`s.reseller_id`)}`;
    const [plan] = await tx.execute<{ id: number; name: string }>(planSql);
    if (!plan) throw new NotFoundError(planId !== null ? `plan #${planId}` : `subscriber #${subscriberId}`);

    // One start at a time per user: concurrent clicks queue behind this row lock, then find the first push.
    await tx.execute(sql`select 1 from users where id = ${actor.userId} for update`);
    const [running] = await tx.execute<{ id: number }>(sql`
      select id from plan_pushes where created_by = ${actor.userId} and plan_id = ${plan.id}
        and subscriber_id is not distinct from ${subscriberId} and state in ('queued', 'running')`);
    if (running) return running.id;

    const [push] = await tx.execute<{ id: number }>(sql`
      insert into plan_pushes (plan_id, plan_name, subscriber_id, created_by, reseller_id)
      values (${plan.id}, ${plan.name}, ${subscriberId}, ${actor.userId}, ${actor.resellerId}) returning id`);
    const scoped = subscriberId === null ? { planId: plan.id } : { subscriberId };
    const items = await tx.execute(sql`
      insert into plan_push_items (push_id, radacct_id, nas_id)
      select ${push.id}, r.radacctid, n.id ${sessionsOf(actor, scoped)}
      on conflict do nothing`);
    if (items.count === 0) {
      throw new ConflictError(
        `no session of ${subscriberId === null ? `plan ${plan.name}` : 'this subscriber'} is online: nothing to apply`,
      );
    }
    await tx.execute(sql`update plan_pushes set total = ${items.count} where id = ${push.id}`);
    return push.id;
  });
  return getPlanPush(actor, id);
}

/** Whose pushes an actor sees: every one with `nas.all`, else its own and its reseller's. */
function pushInScope(actor: Actor): SQL {
  if (actor.permissions.has('nas.all')) return sql`true`;
  if (actor.resellerId === null) return sql`p.created_by = ${actor.userId}`;
  return sql`(p.created_by = ${actor.userId} or p.reseller_id = ${actor.resellerId})`;
}

export async function getPlanPush(actor: Actor, id: number): Promise<PlanPush> {
  const [row] = await db().execute<PlanPush>(sql`
    select p.id, p.plan_name as "planName", p.state, p.total, p.ok + p.failed + p.skipped as done, p.ok, p.failed, p.skipped,
      p.error, to_json(p.created_at)#>>'{}' as "createdAt", to_json(p.finished_at)#>>'{}' as "finishedAt",
      coalesce((select json_agg(f) from (
        select i.radacct_id::float8 as "sessionId", r.username, n.name as "nasName", i.message
        from plan_push_items i left join radacct r on r.radacctid = i.radacct_id left join nas_devices n on n.id = i.nas_id
        where i.push_id = p.id and i.state = 'failed' order by i.radacct_id limit ${FAILURES_SHOWN}) f), '[]') as failures
    from plan_pushes p where p.id = ${id} and ${pushInScope(actor)}`);
  if (!row) throw new NotFoundError(`plan change #${id}`);
  return row;
}
