import { ZCreateResellerInput, ZResellerId, ZSetAssignmentInput } from '@/lib/schemas/resellers';
import { createReseller, getReseller, listResellers, setAssignment } from '@/server/services/resellers/manage-resellers';
import { permissionProcedure, router } from '../trpc';

export const resellersRouter = router({
  list: permissionProcedure('resellers.manage').query(() => listResellers()),
  get: permissionProcedure('resellers.manage').input(ZResellerId).query(({ input }) => getReseller(input.id)),
  create: permissionProcedure('resellers.manage').input(ZCreateResellerInput)
    .mutation(({ ctx, input }) => createReseller(ctx.actor, input)),
  setAssignment: permissionProcedure('resellers.manage').input(ZSetAssignmentInput)
    .mutation(({ ctx, input }) => setAssignment(ctx.actor, input)),
});
