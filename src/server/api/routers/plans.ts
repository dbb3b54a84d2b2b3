import { z } from 'zod';
import {
  ZCreatePlanInput,
  ZListPlansInput,
  ZPlanId,
  ZPlanOptionsInput,
  ZPlanPoolChoicesInput,
  ZUpdatePlanInput,
} from '@/lib/schemas/plans';
import { createPlan } from '@/server/services/plans/create-plan';
import { deletePlan } from '@/server/services/plans/delete-plan';
import { planFormOptions } from '@/server/services/plans/form-options';
import { getPlan, listPlans } from '@/server/services/plans/list-plans';
import { offerablePlans } from '@/server/services/plans/offerable-plans';
import { poolChoices } from '@/server/services/plans/pool-choices';
import { updatePlan } from '@/server/services/plans/update-plan';
import { ZPlanFormOptions, ZPlanItem, ZPlanList, ZPlanOption, ZPoolChoices } from '../outputs/plans';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

const ZId = z.object({ id: z.number() });

export const plansRouter = router({
  list: permissionProcedure('plans.manage')
    .input(parseSync(ZListPlansInput))
    .output(parseSync(ZPlanList))
    .query(({ input }) => listPlans(input)),

  get: permissionProcedure('plans.manage')
    .input(parseSync(ZPlanId))
    .output(parseSync(ZPlanItem))
    .query(({ input }) => getPlan(input.id)),

  formOptions: permissionProcedure('plans.manage')
    .output(parseSync(ZPlanFormOptions))
    .query(({ ctx }) => planFormOptions(ctx.actor)),

  poolChoices: permissionProcedure('plans.manage')
    .input(parseSync(ZPlanPoolChoicesInput))
    .output(parseSync(ZPoolChoices))
    .query(({ ctx, input }) => poolChoices(ctx.actor, input.nasId)),

  create: permissionProcedure('plans.manage')
    .input(parseSync(ZCreatePlanInput))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => createPlan(ctx.actor, input)),

  update: permissionProcedure('plans.manage')
    .input(parseSync(ZUpdatePlanInput))
    .output(parseSync(ZId.extend({ changedFields: z.array(z.string()) })))
    .mutation(({ ctx, input }) => updatePlan(ctx.actor, input)),

  delete: permissionProcedure('plans.manage')
    .input(parseSync(ZPlanId))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => deletePlan(ctx.actor, input.id)),

  // The subscriber dialog's plan select: whoever may create or edit subscribers, scoped to what they may offer.
  options: permissionProcedure('subscribers.create', 'subscribers.edit')
    .input(parseSync(ZPlanOptionsInput))
    .output(parseSync(z.array(ZPlanOption)))
    .query(({ ctx, input }) => offerablePlans(ctx.actor, input)),
});
