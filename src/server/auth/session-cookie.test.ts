import { encode } from 'next-auth/jwt';
import { describe, expect, it, vi } from 'vitest';
import { env } from '@/env';
import { makeUser } from '@/test/fixtures';
import { actorFromCookies } from './session-cookie';

const cookie = async (uid: number, maxAge = 3600) =>
  ({ 'next-auth.session-token': await encode({ token: { uid }, secret: env().NEXTAUTH_SECRET, maxAge }) });

describe('actorFromCookies', () => {
  it('answers the actor of a valid session cookie, the same on a repeated call', async () => {
    const u = await makeUser({ role: 'operator' });
    const c = await cookie(u.userId);
    expect((await actorFromCookies(c))?.userId).toBe(u.userId);
    expect((await actorFromCookies(c))?.userId).toBe(u.userId);
    expect((await actorFromCookies({ ...c, other: 'x' }))?.userId).toBe(u.userId);
  });

  it('answers null without a cookie, for a tampered one, and for one sealed with another secret', async () => {
    const u = await makeUser({ role: 'operator' });
    const good = (await cookie(u.userId))['next-auth.session-token'];
    expect(await actorFromCookies({})).toBeNull();
    expect(await actorFromCookies({ 'next-auth.session-token': good.slice(0, -4) + 'AAAA' })).toBeNull();
    const foreign = await encode({ token: { uid: u.userId }, secret: 'another-secret-another-secret-another', maxAge: 3600 });
    expect(await actorFromCookies({ 'next-auth.session-token': foreign })).toBeNull();
    // a session token is only read from its own cookie names
    expect(await actorFromCookies({ 'next-auth.csrf-token': good })).toBeNull();
  });

  it('stops answering when the token expires, although its decryption was kept', async () => {
    const u = await makeUser({ role: 'operator' });
    const c = await cookie(u.userId, 60);
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
    expect(await actorFromCookies(await cookie(u.userId, -60))).toBeNull();
  });
});
