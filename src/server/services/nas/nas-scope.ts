import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';

/**
 * The reseller filter, always part of the query that reads the NAS row itself: a NAS outside the scope is
 * simply not found, never "found but forbidden". It fails closed: only `nas.all` sees every NAS; anyone
 * else sees their reseller's assignments, and nothing at all without a reseller.
 */
export function nasInScope(actor: Actor, nasIdColumn: SQL = sql`nas_devices.id`): SQL {
  if (actor.permissions.has('nas.all')) return sql`true`;
  if (actor.resellerId === null) return sql`false`;
  return sql`exists (select 1 from reseller_nas rn where rn.nas_id = ${nasIdColumn} and rn.reseller_id = ${actor.resellerId})`;
}
