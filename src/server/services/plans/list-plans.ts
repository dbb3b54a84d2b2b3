import { sql } from 'drizzle-orm';
import type { ListPlansInput } from '@/lib/schemas/plans';
import type { PlanItem, PlanList } from '@/server/api/outputs/plans';
import { db } from '@/server/db/client';
import { NotFoundError } from '@/server/errors';
import { planItemsSql, toPlanItem, type PlanItemRow } from './plan-read-model';

/** The Services & Plans table, one page, searched by name or Filter-Id. */
export async function listPlans(input: ListPlansInput): Promise<PlanList> {
  const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = input.search ? sql`(p.name ilike ${pattern} or p.filter_id ilike ${pattern})` : sql`true`;
  const [rows, [count]] = await Promise.all([
    db().execute<PlanItemRow>(
      planItemsSql(sql`select p.id from plans p where ${where} order by lower(p.name), p.id limit ${input.limit} offset ${input.offset}`),
    ),
    db().execute<{ n: number }>(sql`select count(*)::int as n from plans p where ${where}`),
  ]);
  return { items: rows.map(toPlanItem), total: count.n };
}

export async function getPlan(id: number): Promise<PlanItem> {
  const [row] = await db().execute<PlanItemRow>(planItemsSql(sql`select ${id}::int as id from plans where id = ${id}`));
  if (!row) throw new NotFoundError(`plan #${id}`);
  return toPlanItem(row);
}
