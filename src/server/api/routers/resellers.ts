import { z } from 'zod';
import { ZCreateResellerInput, ZResellerId, ZSetAssignmentInput } from '@/lib/schemas/resellers';
import { createReseller, getReseller, listResellers, setAssignment } from '@/server/services/resellers/manage-resellers';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

const ZResellerView = z.object({ id: z.number(), name: z.string(), contactEmail: z.string(), nasCount: z.number(), userCount: z.number() });
const ZResellerDetail = z.object({
  id: z.number(),
  name: z.string(),
  contactEmail: z.string(),
  nas: z.array(z.object({ id: z.number(), name: z.string(), ipAddress: z.string(), type: z.string(), assigned: z.boolean() })),
});

export const resellersRouter = router({
  list: permissionProcedure('resellers.manage')
    .output(parseSync(z.array(ZResellerView)))
    .query(() => listResellers()),
  get: permissionProcedure('resellers.manage')
    .input(parseSync(ZResellerId))
    .output(parseSync(ZResellerDetail))
    .query(({ input }) => getReseller(input.id)),
  create: permissionProcedure('resellers.manage')
    .input(parseSync(ZCreateResellerInput))
    .output(parseSync(z.object({ id: z.number() })))
    .mutation(({ ctx, input }) => createReseller(ctx.actor, input)),
  setAssignment: permissionProcedure('resellers.manage')
    .input(parseSync(ZSetAssignmentInput))
    .output(parseSync(z.object({ ok: z.boolean() })))
    .mutation(({ ctx, input }) => setAssignment(ctx.actor, input)),
});
