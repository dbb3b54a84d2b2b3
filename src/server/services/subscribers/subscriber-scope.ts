import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';

/**
 * The reseller guard for subscribers, always part of the statement that reads or writes the row: a subscriber
 * outside the scope is "not found". Like the NAS scope it fails closed: `nas.all` sees every subscriber; anyone
 * else sees their reseller's, and none without a reseller.
 */
export function subscriberInScope(actor: Actor, resellerIdColumn: SQL = sql`subscribers.reseller_id`): SQL {
  if (actor.permissions.has('nas.all')) return sql`true`;
  if (actor.resellerId === null) return sql`false`;
  return sql`${resellerIdColumn} = ${actor.resellerId}`;
}

/**
 * Whether a subscriber of `resellerId` may be put on a NAS: a reseller's subscriber only on a NAS assigned to
 * that reseller ("keep reseller A from adding subscribers to reseller B's router"); one without a reseller on
 * any NAS. Checked in the statement that writes the subscriber.
 */
export function nasAllowedForReseller(resellerId: number | null, nasIdColumn: SQL): SQL {
  if (resellerId === null) return sql`true`;
  return sql`exists (select 1 from reseller_nas rn where rn.nas_id = ${nasIdColumn} and rn.reseller_id = ${resellerId})`;
}

/** Whether a subscriber of `resellerId` may be given a plan: a reseller's subscriber only a plan offered to it. */
export function planAllowedForReseller(resellerId: number | null, planIdColumn: SQL): SQL {
  if (resellerId === null) return sql`true`;
  return sql`exists (select 1 from plan_resellers pr where pr.plan_id = ${planIdColumn} and pr.reseller_id = ${resellerId})`;
}
