import { sql } from 'drizzle-orm';
import type { SubscriberFormOptions } from '@/server/api/outputs/subscribers';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { nasInScope } from '@/server/services/nas/nas-scope';
import { planAllowedForReseller } from './subscriber-scope';

/**
 * What the subscriber page's selects offer the actor: the NAS it may see, each with the resellers it is assigned
 * to, so an admin's form narrows them to the chosen reseller (a reseller only ever learns its own reseller id);
 * the plans for the list's filter (the form takes plans.options, with rates and default NAS); the resellers, for
 * an admin. The server judges every save again anyway.
 */
export async function subscriberFormOptions(actor: Actor): Promise<SubscriberFormOptions> {
  const all = actor.permissions.has('nas.all');
  const own = actor.resellerId;
  const resellerFilter = (col: string) => (all ? sql`true` : sql`${sql.raw(col)} = ${own}`);
  const plansVisible = all ? sql`true` : own === null ? sql`false` : planAllowedForReseller(own, sql`p.id`);
  const [nas, plans, resellers] = await Promise.all([
    db().execute<{ id: number; name: string; ipAddress: string; resellerIds: number[] }>(sql`
      select n.id, n.name, host(n.ip_address) as "ipAddress",
        coalesce((select array_agg(rn.reseller_id order by rn.reseller_id) from reseller_nas rn
                  where rn.nas_id = n.id and ${resellerFilter('rn.reseller_id')}), '{}') as "resellerIds"
      from nas_devices n where ${nasInScope(actor, sql`n.id`)}
      order by lower(n.name), n.id`),
    db().execute<{ id: number; name: string }>(sql`select p.id, p.name from plans p where ${plansVisible} order by lower(p.name), p.id`),
    all ? db().execute<{ id: number; name: string }>(sql`select id, name from resellers order by lower(name), id`) : Promise.resolve([]),
  ]);
  return { nas: [...nas], plans: [...plans], resellers: [...resellers] };
}
