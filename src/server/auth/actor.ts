import { sql } from 'drizzle-orm';
import type { Permission } from '@/lib/permissions';
import { isPermission } from '@/lib/permissions';
import { db } from '@/server/db/client';

/**
 * Who is asking. API calls and pages get it through the cache in actor-cache.ts, which drops an entry at
 * the commit of any change to the user or a role, so a role change or a deactivation applies at once.
 */
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
  // A plain statement, since drizzle's query builder cost more CPU than the query.
  const [row] = await db().execute<{
    user_id: number; email: string; name: string; is_active: boolean; reseller_id: number | null; role_name: string; permissions: string[];
  }>(sql`
    select u.id as user_id, u.email, u.name, u.is_active, u.reseller_id, r.name as role_name, r.permissions
    from users u join roles r on r.id = u.role_id
    where u.id = ${userId}`);
  if (!row || !row.is_active) return null;
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    roleName: row.role_name,
    permissions: new Set(row.permissions.filter(isPermission)),
    resellerId: row.reseller_id,
  };
}

/** Background jobs act as the system: it sees every NAS (scope fails closed without `nas.all`). */
export const SYSTEM_ACTOR: Actor = {
  userId: 0,
  email: 'system',
  name: 'System',
  roleName: 'system',
  permissions: new Set<Permission>(['nas.all']),
  resellerId: null,
};
