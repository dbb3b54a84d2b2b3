import { sql } from 'drizzle-orm';
import type { Permission } from '@/lib/permissions';
import { isPermission } from '@/lib/permissions';
import { db } from '@/server/db/client';

/**
 * Who is asking. API calls and pages get it through their session, cached in actor-cache.ts, which drops
 * an entry at the commit of any change to the user, its sessions or a role, so a role change, a
 * deactivation or a sign-out applies at once.
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

type ActorRow = {
  user_id: number;
  email: string;
  name: string;
  is_active: boolean;
  reseller_id: number | null;
  role_name: string;
  permissions: string[];
};

function toActor(row: ActorRow): Actor | null {
  if (!row.is_active) return null;
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    roleName: row.role_name,
    permissions: new Set(row.permissions.filter(isPermission)),
    resellerId: row.reseller_id,
  };
}

export async function loadActor(userId: number): Promise<Actor | null> {
  // A plain statement, since drizzle's query builder cost more CPU than the query.
  const [row] = await db().execute<ActorRow>(sql`
    select u.id as user_id, u.email, u.name, u.is_active, u.reseller_id, r.name as role_name, r.permissions
    from users u join roles r on r.id = u.role_id
    where u.id = ${userId}`);
  return row ? toActor(row) : null;
}

/** A sign-in session as an instance may keep it: whose it is, and whom it lets act (null: nobody any more). */
export interface SessionState {
  userId: number;
  actor: Actor | null;
  /** Epoch milliseconds: past this, the session is over whatever is kept. */
  expiresAt: number;
}

/** The session `sessionId` and its actor, which is null once the session is revoked or expired; null for no such session. */
export async function loadSession(sessionId: string): Promise<SessionState | null> {
  const [row] = await db().execute<ActorRow & { live: boolean; expires_ms: number }>(sql`
    select s.user_id, (s.revoked_at is null and s.expires_at > now()) as live,
           (extract(epoch from s.expires_at) * 1000)::float8 as expires_ms,
           u.email, u.name, u.is_active, u.reseller_id, r.name as role_name, r.permissions
    from user_sessions s join users u on u.id = s.user_id join roles r on r.id = u.role_id
    where s.id = ${sessionId}`);
  if (!row) return null;
  return { userId: row.user_id, actor: row.live ? toActor(row) : null, expiresAt: row.expires_ms };
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
