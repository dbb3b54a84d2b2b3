import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { env } from '@/env';
import { db } from '@/server/db/client';
import { forgetUserSessions } from './actor-cache';

/**
 * Sign-in sessions. The session cookie carries the id of a `user_sessions` row, and an actor is resolved
 * only through a live row (actor.ts), so ending a session is revoking its row: sign-out here, and a
 * password, activity, role or reseller change by the trigger of migration 0009, which revokes all of that
 * user's sessions. Either way the row's change is notified to every instance at commit.
 */
export async function createSession(userId: number, clientAddress: string): Promise<{ id: string }> {
  const id = randomBytes(32).toString('base64url');
  await db().execute(sql`
    insert into user_sessions (id, user_id, expires_at, client_address)
    values (${id}, ${userId}, now() + ${env().SESSION_MAX_AGE_S} * interval '1 second', ${clientAddress})`);
  // Expired rows are no use to anyone: a small batch goes with every sign-in, so they never pile up.
  await db().execute(sql`
    delete from user_sessions where id in (select id from user_sessions where expires_at < now() order by expires_at limit 100)`);
  return { id };
}

/** Ends one session for good (sign-out); a copy of its cookie is refused from the next call on. */
export async function revokeSession(sessionId: string): Promise<void> {
  const rows = await db().execute<{ user_id: number }>(sql`
    update user_sessions set revoked_at = now() where id = ${sessionId} and revoked_at is null returning user_id`);
  for (const r of rows) forgetUserSessions(r.user_id);
}
