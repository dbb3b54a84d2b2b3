import { sql } from 'drizzle-orm';
import type { PlanValues } from '@/lib/schemas/plans';
import type { DbOrTx } from '@/server/db/client';
import { pgIntArray } from '@/server/db/pg-array';
import { FieldError } from '@/server/errors';

/** The plan's own columns (everything but who may offer it), as the schema's output names them. */
export type PlanColumns = Omit<PlanValues, 'resellerIds'>;

export function planColumns(v: PlanValues): PlanColumns {
  const { resellerIds: _resellerIds, ...columns } = v;
  return columns;
}

/** Field → { from, to } for what differs: the audit entry of a plan change. */
export function diffPlan(before: Partial<Record<string, unknown>>, after: Record<string, unknown>) {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) {
    const was = before[k];
    const same = Array.isArray(v) && Array.isArray(was) ? v.join(',') === was.join(',') : was === v;
    if (!same) out[k] = { from: was ?? null, to: v };
  }
  return out;
}

/** Reseller ids that name no reseller: a field error before anything is written. */
export async function checkResellers(q: DbOrTx, ids: number[]): Promise<void> {
  if (!ids.length) return;
  const missing = await q.execute<{ id: number }>(sql`
    select i.id from unnest(${pgIntArray(ids)}::int4[]) as i(id)
    where not exists (select 1 from resellers r where r.id = i.id) order by i.id`);
  if (missing.length) {
    throw new FieldError('resellerIds', `Resellers: reseller ${missing.map((m) => `#${m.id}`).join(', ')} does not exist`);
  }
}

/** Makes the plan offered to exactly `ids` (rows only added and removed, never rewritten). */
export async function setPlanResellers(q: DbOrTx, planId: number, ids: number[]): Promise<void> {
  const list = pgIntArray(ids);
  await q.execute(sql`delete from plan_resellers where plan_id = ${planId} and not (reseller_id = any(${list}::int4[]))`);
  if (ids.length) {
    await q.execute(
      sql`insert into plan_resellers (plan_id, reseller_id) select ${planId}, unnest(${list}::int4[]) on conflict do nothing`,
    );
  }
}
