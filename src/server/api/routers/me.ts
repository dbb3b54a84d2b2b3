import { z } from 'zod';
import { parseSync } from '../parse-sync';
import { authedProcedure, router } from '../trpc';

const ZMe = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  resellerId: z.number().nullable(),
  permissions: z.array(z.string()),
});

export const meRouter = router({
  get: authedProcedure.output(parseSync(ZMe)).query(({ ctx }) => ({
    id: ctx.actor.userId,
    email: ctx.actor.email,
    name: ctx.actor.name,
    role: ctx.actor.roleName,
    resellerId: ctx.actor.resellerId,
    permissions: [...ctx.actor.permissions],
  })),
});
