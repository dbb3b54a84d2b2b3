import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { FieldError } from '@/server/errors';
import { nasInScope } from '@/server/services/nas/nas-scope';
import { nasAllowedForReseller, planAllowedForReseller } from './subscriber-scope';

/** Where a subscriber is put: what the reseller guard and the pool rule judge. */
export interface Placement {
  resellerId: number | null;
  nasId: number;
  planId: number;
  staticIp: string | null;
}

/** Which parts to judge: on edit only what changes (a NAS moved away from the reseller keeps its subscribers). */
export interface PlacementChecks {
  nas: boolean;
  plan: boolean;
  staticIp: boolean;
}

export type PlacementVerdict = {
  reseller_ok: boolean;
  nas_ok: boolean;
  plan_ok: boolean;
  ip_ok: boolean;
  nas_name: string | null;
  plan_name: string | null;
  reseller_name: string | null;
};

/**
 * The verdict as one SELECT, meant to be the first CTE of the statement that writes the row (`chk`), so the
 * guard and the write read the same snapshot:
 * - the NAS exists, the actor may see it (nasInScope) and the subscriber's reseller may use it; otherwise it is
 *   "not found", exactly like a NAS that does not exist;
 * - the plan exists and is offered to the subscriber's reseller;
 * - a static IP lies in one of the NAS's imported pools, when it has any (one row per address, so an equality
 *   probe on ip_pool_assignments' (nas_id, ip_address) index).
 */
export function placementVerdict(actor: Actor, p: Placement, judge: PlacementChecks): SQL {
  const nasId = sql`${p.nasId}::int`;
  const planId = sql`${p.planId}::int`;
  const nasOk = judge.nas
    ? sql`exists (select 1 from nas_devices nd where nd.id = ${nasId}) and ${nasInScope(actor, nasId)} and ${nasAllowedForReseller(p.resellerId, nasId)}`
    : sql`true`;
  const planOk = judge.plan
    ? sql`exists (select 1 from plans pl where pl.id = ${planId}) and ${planAllowedForReseller(p.resellerId, planId)}`
    : sql`true`;
  const ipOk =
    judge.staticIp && p.staticIp !== null
      ? sql`(not exists (select 1 from ip_pool_assignments a where a.nas_id = ${nasId})
             or exists (select 1 from ip_pool_assignments a where a.nas_id = ${nasId} and a.ip_address = ${p.staticIp}::inet))`
      : sql`true`;
  const resellerOk = p.resellerId === null ? sql`true` : sql`exists (select 1 from resellers r where r.id = ${p.resellerId}::int)`;
  return sql`select ${resellerOk} as reseller_ok, ${nasOk} as nas_ok, ${planOk} as plan_ok, ${ipOk} as ip_ok,
    (select nd.name from nas_devices nd where nd.id = ${nasId}) as nas_name,
    (select pl.name from plans pl where pl.id = ${planId}) as plan_name,
    (select r.name from resellers r where r.id = ${p.resellerId}::int) as reseller_name`;
}

export const placementAllowed = sql.raw('chk.reseller_ok and chk.nas_ok and chk.plan_ok and chk.ip_ok');

/** The first failed rule as the field error the form shows under its input. */
export function throwIfRefused(v: PlacementVerdict, p: Placement): void {
  if (!v.reseller_ok) throw new FieldError('resellerId', 'Reseller not found');
  if (!v.nas_ok) throw new FieldError('nasId', 'NAS not found');
  if (!v.plan_ok) throw new FieldError('planId', 'Plan not found');
  if (!v.ip_ok) throw new FieldError('staticIp', `Static IP ${p.staticIp} is not in any IP pool imported from this NAS`);
}
