import { sql } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { describe, expect, it, vi } from 'vitest';
import { env } from '@/env';
import { db } from '@/server/db/client';
import { makeUser } from '@/test/fixtures';
import { actorFromCookies } from './session-cookie';
import { createSession } from './sessions';

const seal = (token: Record<string, unknown>, maxAge = 3600) => encode({ token, secret: env().NEXTAUTH_SECRET, maxAge });
const cookie = async (uid: number, sid: string, maxAge = 3600) => ({ 'next-auth.session-token': await seal({ uid, sid }, maxAge) });

async function signedIn() {
  const u = await makeUser({ role: 'operator' });
  return { u, sid: (await createSession(u.userId, '127.0.0.1')).id };
}

describe('actorFromCookies', () => {
  it('answers the actor of a valid session cookie, the same on a repeated call', async () => {
    const { u, sid } = await signedIn();
    const c = await cookie(u.userId, sid);
    expect((await actorFromCookies(c))?.userId).toBe(u.userId);
    expect((await actorFromCookies(c))?.userId).toBe(u.userId);
    expect((await actorFromCookies({ ...c, other: 'x' }))?.userId).toBe(u.userId);
  });

  it('answers null without a cookie, for a tampered one, and for one sealed with another secret', async () => {
    const { u, sid } = await signedIn();
    const good = (await cookie(u.userId, sid))['next-auth.session-token'];
    expect(await actorFromCookies({})).toBeNull();
    expect(await actorFromCookies({ 'next-auth.session-token': good.slice(0, -4) + 'AAAA' })).toBeNull();
    const foreign = await encode({ token: { uid: u.userId, sid }, secret: 'another-secret-another-secret-another', maxAge: 3600 });
    expect(await actorFromCookies({ 'next-auth.session-token': foreign })).toBeNull();
    // a session token is only read from its own cookie names
    expect(await actorFromCookies({ 'next-auth.csrf-token': good })).toBeNull();
  });

  it('answers null for a cookie without a live session: none named, unknown, another user’s, revoked', async () => {
    const { u, sid } = await signedIn();
    const other = await signedIn();
    expect(await actorFromCookies({ 'next-auth.session-token': await seal({ uid: u.userId }) })).toBeNull(); // from before sessions
    expect(await actorFromCookies(await cookie(u.userId, 'no-such-session'))).toBeNull();
    expect(await actorFromCookies(await cookie(u.userId, other.sid))).toBeNull();
    const c = await cookie(u.userId, sid);
    expect((await actorFromCookies(c))?.userId).toBe(u.userId);
    await db().execute(sql`update user_sessions set revoked_at = now() where id = ${sid}`);
    await expect.poll(() => actorFromCookies(c), { timeout: 3000 }).toBeNull();
  });

  it('stops answering when the token expires, although its decryption was kept', async () => {
    const { u, sid } = await signedIn();
    const c = await cookie(u.userId, sid, 60);
    expect((await actorFromCookies(c))?.userId).toBe(u.userId);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 59_000);
      expect((await actorFromCookies(c))?.userId).toBe(u.userId);
      vi.setSystemTime(Date.now() + 60_000); // past exp and next-auth's 15 s clock tolerance
      expect(await actorFromCookies(c)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    expect(await actorFromCookies(await cookie(u.userId, sid, -60))).toBeNull();
  });
});
