import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeReseller, makeUser } from '@/test/fixtures';
import { db } from '@/server/db/client';
import { loadSession } from './actor';
import { cachedSessionActor, instanceActorCache } from './actor-cache';
import { createSession, revokeSession } from './sessions';

async function signedIn(role: 'admin' | 'operator' = 'operator') {
  const user = await makeUser({ role });
  const sessions = [(await createSession(user.userId, '127.0.0.1')).id, (await createSession(user.userId, '10.1.2.3')).id];
  return { user, sessions };
}

const live = async (sid: string) => (await loadSession(sid))?.actor ?? null;

describe('sessions', () => {
  it('a new session lets its user act until it expires', async () => {
    const { user, sessions } = await signedIn();
    expect((await live(sessions[0]))?.userId).toBe(user.userId);
    expect(await loadSession('no-such-session')).toBeNull();
    await db().execute(sql`update user_sessions set expires_at = now() - interval '1 second' where id = ${sessions[0]}`);
    expect(await live(sessions[0])).toBeNull();
    expect((await live(sessions[1]))?.userId).toBe(user.userId);
  });

  it('sign-out revokes the one session, refused at once by this instance’s cache', async () => {
    const { user, sessions } = await signedIn();
    // Served from the cache once this instance listens.
    await expect.poll(async () => (await cachedSessionActor(sessions[0]), instanceActorCache().size), { timeout: 3000 }).toBeGreaterThan(0);
    await revokeSession(sessions[0]);
    expect(await cachedSessionActor(sessions[0])).toBeNull(); // no waiting for the notification here
    expect(await live(sessions[0])).toBeNull();
    expect((await cachedSessionActor(sessions[1]))?.userId).toBe(user.userId);
  });

  // "Another instance" changing the user: straight in SQL, then the very next resolution reads the row.
  const revoking: Record<string, (userId: number) => Promise<unknown>> = {
    'a password change': (id) => db().execute(sql`update users set password_hash = 'new' where id = ${id}`),
    'a deactivation': (id) => db().execute(sql`update users set is_active = false where id = ${id}`),
    'a role change': (id) => db().execute(sql`update users set role_id = (select id from roles where name = 'admin') where id = ${id}`),
    'a reseller change': async (id) => db().execute(sql`update users set reseller_id = ${await makeReseller()} where id = ${id}`),
  };
  for (const [what, change] of Object.entries(revoking)) {
    it(`${what} revokes every session of that user, and no one else's`, async () => {
      const target = await signedIn();
      const bystander = await signedIn();
      await change(target.user.userId);
      for (const sid of target.sessions) expect(await live(sid)).toBeNull();
      const [{ n }] = await db().execute<{ n: number }>(sql`
        select count(*)::int as n from user_sessions where user_id = ${target.user.userId} and revoked_at is not null`);
      expect(n).toBe(2);
      for (const sid of bystander.sessions) expect((await live(sid))?.userId).toBe(bystander.user.userId);
    });
  }

  it('a change that grants nothing different (the name, the same role again) keeps sessions', async () => {
    const { user, sessions } = await signedIn();
    await db().execute(sql`update users set name = 'Renamed', role_id = role_id, is_active = true where id = ${user.userId}`);
    for (const sid of sessions) expect((await live(sid))?.name).toBe('Renamed');
  });

  it('expired rows are cleaned up by later sign-ins', async () => {
    const { user, sessions } = await signedIn();
    await db().execute(sql`update user_sessions set expires_at = now() - interval '1 hour' where id = ${sessions[0]}`);
    await createSession(user.userId, '127.0.0.1');
    const rows = await db().execute(sql`select 1 from user_sessions where id = ${sessions[0]}`);
    expect(rows.length).toBe(0);
  });
});
