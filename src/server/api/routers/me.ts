import { authedProcedure, router } from '../trpc';

export const meRouter = router({
  get: authedProcedure.query(({ ctx }) => ({
    id: ctx.actor.userId,
    email: ctx.actor.email,
    name: ctx.actor.name,
    role: ctx.actor.roleName,
    resellerId: ctx.actor.resellerId,
    permissions: [...ctx.actor.permissions],
  })),
});
