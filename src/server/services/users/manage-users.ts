import { eq, sql } from 'drizzle-orm';
import type { CreateUserInput, UpdateUserInput } from '@/lib/schemas/users';
import type { Actor } from '@/server/auth/actor';
import { hashPassword } from '@/server/auth/password';
import { db, type Tx } from '@/server/db/client';
import { withConstraintErrors } from '@/server/services/constraint-errors';
import { resellers, roles, users } from '@/server/db/schema';
import { isPermission } from '@/lib/permissions';
import { FieldError, ForbiddenError, NotFoundError } from '@/server/errors';
import { writeAudit } from '@/server/services/audit/write-audit';

export type UserView = {
  id: number;
  email: string;
  name: string;
  roleId: number;
  roleName: string;
  resellerId: number | null;
  resellerName: string | null;
  isActive: boolean;
};

export async function listUsers(): Promise<UserView[]> {
  return db()
    .execute<UserView>(
      sql`
    select u.id, u.email, u.name, u.role_id as "roleId", r.name as "roleName", u.reseller_id as "resellerId",
           rs.name as "resellerName", u.is_active as "isActive"
    from users u join roles r on r.id = u.role_id left join resellers rs on rs.id = u.reseller_id
    order by lower(u.email)`,
    )
    .then((rows) => [...rows]);
}

/** Reseller names for the user form's select: what linking a user needs, without resellers.manage. */
export async function listResellerOptions() {
  return db()
    .select({ id: resellers.id, name: resellers.name })
    .from(resellers)
    .orderBy(sql`lower(${resellers.name})`);
}

export async function listRoles() {
  return db()
    .select({ id: roles.id, name: roles.name, description: roles.description, permissions: roles.permissions })
    .from(roles)
    .orderBy(roles.id);
}

/** Permissions in `granted` the actor does not hold itself (names the panel does not know grant nothing). */
function beyondActor(actor: Actor, granted: string[]): string[] {
  return granted.filter((p) => isPermission(p) && !actor.permissions.has(p));
}

/**
 * users.manage hands out roles, but never more than the granter holds: otherwise anyone allowed to manage
 * users could make themselves, or an accomplice, an admin. The role row is locked until the transaction ends.
 */
async function assertMayGrantRole(tx: Tx, actor: Actor, roleId: number) {
  const [role] = await tx.execute<{ name: string; permissions: string[] }>(
    sql`select name, permissions from roles where id = ${roleId} for share`,
  );
  if (!role) throw new FieldError('roleId', 'Role does not exist');
  const missing = beyondActor(actor, role.permissions);
  if (missing.length)
    throw new FieldError('roleId', `You cannot grant the role ${role.name}: it has permissions you do not hold (${missing.join(', ')})`);
}

export async function createUser(actor: Actor, input: CreateUserInput): Promise<{ id: number }> {
  const passwordHash = await hashPassword(input.password);
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      await assertMayGrantRole(tx, actor, input.roleId);
      const [row] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name, passwordHash, roleId: input.roleId, resellerId: input.resellerId })
        .returning({ id: users.id });
      await writeAudit(tx, actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: row.id,
        summary: `created user ${input.email}`,
        changes: { roleId: input.roleId, resellerId: input.resellerId },
      });
      return row;
    }),
  );
}

export async function updateUser(actor: Actor, input: UpdateUserInput): Promise<{ id: number }> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      const [cur] = await tx.select().from(users).where(eq(users.id, input.id)).for('update');
      if (!cur) throw new NotFoundError(`user #${input.id}`);
      if (cur.id === actor.userId && !input.isActive) throw new FieldError('isActive', 'you cannot deactivate your own account');
      // Editing a user (a new password, a deactivation) is as good as being them: not for someone who holds less.
      const [held] = await tx.execute<{ permissions: string[] }>(sql`select permissions from roles where id = ${cur.roleId}`);
      const above = beyondActor(actor, held?.permissions ?? []);
      if (above.length) throw new ForbiddenError(`You cannot edit ${cur.email}: they hold permissions you do not (${above.join(', ')})`);
      await assertMayGrantRole(tx, actor, input.roleId);
      await tx
        .update(users)
        .set({
          name: input.name,
          roleId: input.roleId,
          resellerId: input.resellerId,
          isActive: input.isActive,
          ...(passwordHash ? { passwordHash } : {}),
        })
        .where(eq(users.id, input.id));
      const changes: Record<string, unknown> = {};
      for (const k of ['name', 'roleId', 'resellerId', 'isActive'] as const)
        if (cur[k] !== input[k]) changes[k] = { from: cur[k], to: input[k] };
      if (passwordHash) changes.password = 'changed';
      await writeAudit(tx, actor, {
        action: 'user.update',
        entityType: 'user',
        entityId: input.id,
        summary: `updated user ${cur.email}`,
        changes,
      });
      return { id: input.id };
    }),
  );
}
