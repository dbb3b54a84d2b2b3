import { sql } from 'drizzle-orm';
import { formatRates } from '@/lib/rates';
import type { PlanOptionsInput } from '@/lib/schemas/plans';
import type { PlanOption } from '@/server/api/outputs/plans';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { nasAllowedForReseller, planAllowedForReseller } from '@/server/services/subscribers/subscriber-scope';

/**
 * The plans a subscriber form may offer, scoped in SQL like the subscriber guard: with `nas.all` every plan (or,
 * when the admin picked a reseller for the subscriber, that reseller's); anyone else only the plans offered to
 * their own reseller, and none without a reseller. A default NAS the reseller may not use is not preselected.
 */
export async function offerablePlans(actor: Actor, input: PlanOptionsInput): Promise<PlanOption[]> {
  let resellerId: number | null;
  if (actor.permissions.has('nas.all')) resellerId = input.resellerId ?? null;
  else if (actor.resellerId === null) return [];
  else resellerId = actor.resellerId;
  const rows = await db().execute<{ id: number; name: string; downloadKbps: number; uploadKbps: number; defaultNasId: number | null }>(sql`
    select p.id, p.name, p.download_kbps as "downloadKbps", p.upload_kbps as "uploadKbps",
           case when p.default_nas_id is not null and ${nasAllowedForReseller(resellerId, sql`p.default_nas_id`)}
                then p.default_nas_id end as "defaultNasId"
    from plans p
    where ${planAllowedForReseller(resellerId, sql`p.id`)}
    order by lower(p.name), p.id`);
  return rows.map((r) => ({ id: r.id, name: r.name, rates: formatRates(r), defaultNasId: r.defaultNasId }));
}
