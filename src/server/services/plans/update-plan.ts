import { eq, sql } from 'drizzle-orm';
import type { UpdatePlanInput } from '@/lib/schemas/plans';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { plans } from '@/server/db/schema';
import { NotFoundError } from '@/server/errors';
import { writeAudit } from '@/server/services/audit/write-audit';
import { withConstraintErrors } from '@/server/services/constraint-errors';
import { checkResellers, diffPlan, planColumns, setPlanResellers } from './plan-columns';
import { checkPlanNasAndPool } from './pool-choices';

/**
 * Lock, check, write what changed, audit: one transaction. New sessions get the new plan at once (the RADIUS
 * service reloads the row at commit); live sessions keep theirs until CoA or their next login.
 */
export async function updatePlan(actor: Actor, input: UpdatePlanInput): Promise<{ id: number; changedFields: string[] }> {
  const { id, resellerIds, ...rest } = input;
  const columns = planColumns({ ...rest, resellerIds });
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      const [current] = await tx.select().from(plans).where(eq(plans.id, id)).for('update');
      if (!current) throw new NotFoundError(`plan #${id}`);
      const [offered] = await tx.execute<{ ids: number[] }>(
        sql`select coalesce(array_agg(reseller_id order by reseller_id), '{}') as ids from plan_resellers where plan_id = ${id}`,
      );
      await checkPlanNasAndPool(tx, actor, columns);
      await checkResellers(tx, resellerIds);
      const sorted = [...resellerIds].sort((a, b) => a - b);
      const changes = diffPlan({ ...current, resellerIds: offered.ids }, { ...columns, resellerIds: sorted });
      const changedFields = Object.keys(changes);
      if (!changedFields.length) return { id, changedFields };
      if (changedFields.some((f) => f !== 'resellerIds')) {
        await tx
          .update(plans)
          .set({ ...columns, updatedAt: new Date() })
          .where(eq(plans.id, id));
      }
      if (changes.resellerIds) await setPlanResellers(tx, id, resellerIds);
      await writeAudit(tx, actor, {
        action: 'plan.update',
        entityType: 'plan',
        entityId: id,
        summary: `updated plan ${columns.name}: ${changedFields.join(', ')}`,
        changes,
      });
      return { id, changedFields };
    }),
  );
}
