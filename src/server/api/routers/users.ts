import { z } from 'zod';
import { ZCreateUserInput, ZUpdateUserInput } from '@/lib/schemas/users';
import { createUser, listResellerOptions, listRoles, listUsers, updateUser } from '@/server/services/users/manage-users';
import { permissionProcedure, router } from '../trpc';

const ZUserView = z.object({
  id: z.number(), email: z.string(), name: z.string(), roleId: z.number(), roleName: z.string(),
  resellerId: z.number().nullable(), resellerName: z.string().nullable(), isActive: z.boolean(),
});

export const usersRouter = router({
  list: permissionProcedure('users.manage').output(z.array(ZUserView)).query(() => listUsers()),
  roles: permissionProcedure('users.manage').query(() => listRoles()),
  resellerOptions: permissionProcedure('users.manage')
    .output(z.array(z.object({ id: z.number(), name: z.string() })))
    .query(() => listResellerOptions()),
  create: permissionProcedure('users.manage').input(ZCreateUserInput).output(z.object({ id: z.number() }))
    .mutation(({ ctx, input }) => createUser(ctx.actor, input)),
  update: permissionProcedure('users.manage').input(ZUpdateUserInput).output(z.object({ id: z.number() }))
    .mutation(({ ctx, input }) => updateUser(ctx.actor, input)),
});
