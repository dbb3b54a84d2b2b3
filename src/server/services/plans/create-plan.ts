import type { CreatePlanInput } from '@/lib/schemas/plans';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { plans } from '@/server/db/schema';
import { writeAudit } from '@/server/services/audit/write-audit';
import { withConstraintErrors } from '@/server/services/constraint-errors';
import { checkResellers, diffPlan, planColumns, setPlanResellers } from './plan-columns';
import { checkPlanNasAndPool } from './pool-choices';

/**
 * Insert, offer to the chosen resellers and audit in one transaction. The unique index on the name decides
 * duplicates, so two concurrent creates of one name cannot both win. The RADIUS service hears of it at commit.
 */
export async function createPlan(actor: Actor, input: CreatePlanInput): Promise<{ id: number }> {
  const columns = planColumns(input);
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      await checkPlanNasAndPool(tx, actor, columns);
      await checkResellers(tx, input.resellerIds);
      const [row] = await tx.insert(plans).values(columns).returning({ id: plans.id });
      await setPlanResellers(tx, row.id, input.resellerIds);
      await writeAudit(tx, actor, {
        action: 'plan.create',
        entityType: 'plan',
        entityId: row.id,
        summary: `created plan ${input.name}`,
        changes: diffPlan({}, { ...columns, resellerIds: input.resellerIds }),
      });
      return row;
    }),
  );
}
