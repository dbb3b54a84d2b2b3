import { sql } from 'drizzle-orm';
import type { PoolChoices } from '@/server/api/outputs/plans';
import type { Actor } from '@/server/auth/actor';
import { db, type DbOrTx } from '@/server/db/client';
import { FieldError, NotFoundError } from '@/server/errors';
import { nasInScope } from '@/server/services/nas/nas-scope';

/**
 * A plan's Framed-Pool must be a pool its default NAS has: one imported from the router, or one named in the
 * NAS's Subscriber Pools hint (a generic BNG, or a router whose pools are not imported yet). A pool the NAS does
 * not have makes every login on it fail to get an address.
 */
export async function poolChoices(actor: Actor, nasId: number, q: DbOrTx = db()): Promise<PoolChoices> {
  const [nas] = await q.execute<{ id: number; name: string; subscriber_pools: string }>(sql`
    select n.id, n.name, n.subscriber_pools from nas_devices n where n.id = ${nasId} and ${nasInScope(actor, sql`n.id`)}`);
  if (!nas) throw new NotFoundError(`NAS #${nasId}`);
  // The distinct pool names by a skip scan over (nas_id, pool_name, …): one index probe per pool, not one row per
  // address (a NAS may hold 500,000 imported addresses).
  const imported = await q.execute<{ name: string }>(sql`
    with recursive pools(name) as (
      (select pool_name from ip_pool_assignments where nas_id = ${nasId} order by pool_name limit 1)
      union all
      select (select pool_name from ip_pool_assignments a where a.nas_id = ${nasId} and a.pool_name > pools.name order by a.pool_name limit 1)
      from pools where pools.name is not null
    )
    select name from pools where name is not null`);
  const hinted = nas.subscriber_pools
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const names = new Map<string, { imported: boolean; hinted: boolean }>();
  for (const { name } of imported) names.set(name, { imported: true, hinted: false });
  for (const name of hinted) names.set(name, { imported: names.has(name), hinted: true });
  return {
    nasId: nas.id,
    nasName: nas.name,
    choices: [...names].map(([name, from]) => ({ name, ...from })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The default NAS must be one the actor sees; with one, the Framed-Pool must be among its pools. */
export async function checkPlanNasAndPool(
  q: DbOrTx,
  actor: Actor,
  plan: { defaultNasId: number | null; framedPool: string },
): Promise<void> {
  if (plan.defaultNasId === null) return;
  let choices: PoolChoices;
  try {
    choices = await poolChoices(actor, plan.defaultNasId, q);
  } catch (e) {
    if (e instanceof NotFoundError) throw new FieldError('defaultNasId', `Default NAS: NAS #${plan.defaultNasId} not found`);
    throw e;
  }
  if (plan.framedPool === '' || choices.choices.some((c) => c.name === plan.framedPool)) return;
  const names = choices.choices.map((c) => c.name);
  throw new FieldError(
    'framedPool',
    names.length
      ? `Framed-Pool "${plan.framedPool}" is not a pool of NAS ${choices.nasName}; choose one of: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`
      : `Framed-Pool: NAS ${choices.nasName} has no imported pools and no Subscriber Pools hint; import its pools or set the hint on the NAS, or leave Framed-Pool empty`,
  );
}
