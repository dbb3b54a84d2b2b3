import { z } from 'zod';
import { ZCreateUserInput, ZUpdateUserInput } from '@/lib/schemas/users';
import { createUser, listResellerOptions, listRoles, listUsers, updateUser } from '@/server/services/users/manage-users';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

const ZUserView = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  roleId: z.number(),
  roleName: z.string(),
  resellerId: z.number().nullable(),
  resellerName: z.string().nullable(),
  isActive: z.boolean(),
});
const ZRoleView = z.object({ id: z.number(), name: z.string(), description: z.string(), permissions: z.array(z.string()) });
const ZOption = z.object({ id: z.number(), name: z.string() });
const ZId = z.object({ id: z.number() });

export const usersRouter = router({
  list: permissionProcedure('users.manage')
    .output(parseSync(z.array(ZUserView)))
    .query(() => listUsers()),
  roles: permissionProcedure('users.manage')
    .output(parseSync(z.array(ZRoleView)))
    .query(() => listRoles()),
  resellerOptions: permissionProcedure('users.manage')
    .output(parseSync(z.array(ZOption)))
    .query(() => listResellerOptions()),
  create: permissionProcedure('users.manage')
    .input(parseSync(ZCreateUserInput))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => createUser(ctx.actor, input)),
  update: permissionProcedure('users.manage')
    .input(parseSync(ZUpdateUserInput))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => updateUser(ctx.actor, input)),
});
