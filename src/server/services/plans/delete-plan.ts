import { eq, sql } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { plans } from '@/server/db/schema';
import { pgError } from '@/server/db/pg-error';
import { ConflictError, NotFoundError } from '@/server/errors';
import { writeAudit } from '@/server/services/audit/write-audit';

const inUse = (name: string, n: number) =>
  new ConflictError(
    `cannot delete plan ${name}: ${n === 1 ? '1 subscriber uses it' : `${n} subscribers use it`}; move them to another plan first`,
  );

/**
 * Refused while subscribers use the plan (subscribers.plan_id is ON DELETE RESTRICT), with the count. The row
 * lock makes a concurrent subscriber write wait, so the count is the one the delete meets.
 */
export async function deletePlan(actor: Actor, id: number): Promise<{ id: number }> {
  let name = `#${id}`;
  try {
    return await db().transaction(async (tx) => {
      const [row] = await tx.execute<{ name: string }>(sql`select name from plans where id = ${id} for update`);
      if (!row) throw new NotFoundError(`plan #${id}`);
      name = row.name;
      const [{ n }] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from subscribers where plan_id = ${id}`);
      if (n > 0) throw inUse(row.name, n);
      await tx.delete(plans).where(eq(plans.id, id));
      await writeAudit(tx, actor, { action: 'plan.delete', entityType: 'plan', entityId: id, summary: `deleted plan ${row.name}` });
      return { id };
    });
  } catch (e) {
    // A subscriber written between the count and the delete: the foreign key has the last word.
    if (pgError(e)?.constraint_name === 'subscribers_plan_id_plans_id_fk') {
      const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from subscribers where plan_id = ${id}`);
      throw inUse(name, Math.max(n, 1));
    }
    throw e;
  }
}
