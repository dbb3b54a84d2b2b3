import { sql } from 'drizzle-orm';
import type { PlanFormOptions } from '@/server/api/outputs/plans';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { nasInScope } from '@/server/services/nas/nas-scope';

/**
 * The plan dialog's choices: every NAS the actor sees (for the default NAS) and every reseller (who may offer
 * the plan). Part of plans.manage, so the dialog needs neither nas.view nor resellers.manage.
 */
export async function planFormOptions(actor: Actor): Promise<PlanFormOptions> {
  const [nas, resellers] = await Promise.all([
    db().execute<PlanFormOptions['nas'][number]>(sql`
      select n.id, n.name, host(n.ip_address) as "ipAddress", n.type from nas_devices n
      where ${nasInScope(actor, sql`n.id`)} order by lower(n.name), n.id`),
    db().execute<PlanFormOptions['resellers'][number]>(sql`select id, name from resellers order by lower(name), id`),
  ]);
  return { nas: [...nas], resellers: [...resellers] };
}
