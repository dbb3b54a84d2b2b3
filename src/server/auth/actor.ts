import { eq } from 'drizzle-orm';
import type { Permission } from '@/lib/permissions';
import { isPermission } from '@/lib/permissions';
import { db } from '@/server/db/client';
import { roles, users } from '@/server/db/schema';

/** Who is asking: loaded fresh per request so a role change or deactivation applies at once. */
export interface Actor {
  userId: number;
  email: string;
  name: string;
  roleName: string;
  permissions: ReadonlySet<Permission>;
  /** Set for reseller staff: they only ever see this reseller's NAS assignments. */
  resellerId: number | null;
}

export async function loadActor(userId: number): Promise<Actor | null> {
  const [row] = await db()
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      isActive: users.isActive,
      resellerId: users.resellerId,
      roleName: roles.name,
      permissions: roles.permissions,
    })
    .from(users)
    .innerJoin(roles, eq(roles.id, users.roleId))
    .where(eq(users.id, userId));
  if (!row || !row.isActive) return null;
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    roleName: row.roleName,
    permissions: new Set(row.permissions.filter(isPermission)),
    resellerId: row.resellerId,
  };
}

/** Background jobs act as the system, unscoped. */
export const SYSTEM_ACTOR: Actor = {
  userId: 0,
  email: 'system',
  name: 'System',
  roleName: 'system',
  permissions: new Set(),
  resellerId: null,
};
