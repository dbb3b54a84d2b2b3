import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { makeRole, makeUser } from '@/test/fixtures';
import { db, sqlClient } from '@/server/db/client';
import { listenChannel } from '@/server/db/listen';
import type { Actor, SessionState } from './actor';
import { loadSession } from './actor';
import { ACTOR_CHANNEL, ActorCache, cachedSessionActor, evictionTarget } from './actor-cache';
import { createSession } from './sessions';

const actor = (userId: number, perms: string[] = ['nas.view']): Actor => ({
  userId,
  email: `u${userId}@t`,
  name: 'U',
  roleName: 'r',
  permissions: new Set(perms) as Actor['permissions'],
  resellerId: null,
});

/** Session ids of the fake loader are "<user id>:<anything>". */
const HOUR = 3_600_000;

/** A loader that counts calls and can be held open, to put an eviction in the middle of a load. */
function fakeLoader(expiresAt = () => Date.now() + HOUR) {
  const state = { calls: 0, version: 0, hold: null as Promise<void> | null };
  const load = async (sessionId: string): Promise<SessionState> => {
    state.calls++;
    const seen = state.version;
    if (state.hold) await state.hold;
    const userId = Number(sessionId.split(':')[0]);
    return { userId, actor: actor(userId, [`v${seen}`]), expiresAt: expiresAt() };
  };
  return { state, load };
}

describe('ActorCache (rules)', () => {
  const opts = { maxAgeMs: 60_000, maxEntries: 100 };

  it('keeps nothing while it cannot hear changes', async () => {
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, opts);
    await cache.get('1:a');
    await cache.get('1:a');
    expect(state.calls).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('serves a kept session while listening, until its user (every session of theirs) or everyone is evicted', async () => {
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, opts);
    cache.setListening(true);
    for (const s of ['1:a', '1:b', '2:a', '1:a', '1:b', '2:a']) await cache.get(s);
    expect(state.calls).toBe(3);
    cache.evict(1);
    for (const s of ['1:a', '1:b', '2:a']) await cache.get(s);
    expect(state.calls).toBe(5); // both of user 1's sessions reloaded, user 2's kept
    cache.evict('*');
    await cache.get('2:a');
    expect(state.calls).toBe(6);
  });

  it('does not keep a load that overlapped an eviction (the row it read may predate the change)', async () => {
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, opts);
    cache.setListening(true);
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const pending = cache.get('1:a');
    cache.evict(1); // the change committed while the old row was on its way
    state.version++;
    release();
    state.hold = null;
    expect([...(await pending)!.permissions]).toEqual(['v0']);
    expect([...(await cache.get('1:a'))!.permissions]).toEqual(['v1']);
    expect(state.calls).toBe(2);
  });

  it('forgets everything when the connection drops, and keeps nothing until it is back', async () => {
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, opts);
    cache.setListening(true);
    await cache.get('1:a');
    cache.setListening(false);
    expect(cache.size).toBe(0);
    await cache.get('1:a');
    await cache.get('1:a');
    expect(state.calls).toBe(3);
  });

  it('reloads an entry older than maxAgeMs, and never grows past maxEntries', async () => {
    let t = 0;
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, { maxAgeMs: 1000, maxEntries: 3, now: () => t });
    cache.setListening(true);
    await cache.get('1:a');
    t = 999;
    await cache.get('1:a');
    expect(state.calls).toBe(1);
    t = 1000;
    await cache.get('1:a');
    expect(state.calls).toBe(2);
    for (const id of [2, 3, 4, 5]) await cache.get(`${id}:a`);
    expect(cache.size).toBeLessThanOrEqual(3);
  });

  it('never answers a kept session past its expiry', async () => {
    const expiry = Date.now() + 60_000;
    const { load } = fakeLoader(() => expiry);
    const cache = new ActorCache(load, opts);
    cache.setListening(true);
    expect(await cache.get('1:a')).not.toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(expiry);
      expect(await cache.get('1:a')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads a notification as one user id or everyone', () => {
    expect(evictionTarget('42')).toBe(42);
    expect(evictionTarget('*')).toBe('*');
    expect(evictionTarget('garbage')).toBe('*');
  });
});

const POLL = { timeout: 3000, interval: 20 };

/** A cache wired to a real LISTEN connection, with its state changes observable. */
async function liveCache() {
  const cache = new ActorCache(loadSession, { maxAgeMs: 3_600_000, maxEntries: 1000 });
  const states: boolean[] = [];
  let waiters: Array<{ want: boolean; resolve: () => void }> = [];
  const listener = listenChannel(
    ACTOR_CHANNEL,
    (p) => cache.evict(evictionTarget(p)),
    (on) => {
      cache.setListening(on);
      states.push(on);
      waiters = waiters.filter((w) => (w.want === on ? (w.resolve(), false) : true));
    },
  );
  const until = (want: boolean) => new Promise<void>((resolve) => waiters.push({ want, resolve }));
  await until(true);
  return { cache, listener, states, until };
}

async function signedIn(role: Parameters<typeof makeUser>[0]['role'] = 'operator') {
  const user = await makeUser({ role });
  const { id } = await createSession(user.userId, '127.0.0.1');
  return { user, sid: id };
}

describe('ActorCache against PostgreSQL (LISTEN nas_panel_actor)', () => {
  it('a deactivated user loses access as soon as the change commits', async () => {
    const { cache, listener } = await liveCache();
    try {
      const { user, sid } = await signedIn();
      expect((await cache.get(sid))?.email).toBe(user.email);
      expect(cache.size).toBe(1);
      const t = Date.now();
      await db().execute(sql`update users set is_active = false where id = ${user.userId}`);
      await expect.poll(() => cache.get(sid), POLL).toBeNull();
      expect(Date.now() - t).toBeLessThan(2000); // the notification, not the hour-long max age
    } finally {
      await listener.stop();
    }
  });

  it('a session revoked by another instance (straight in SQL) is refused once the change commits', async () => {
    const { cache, listener } = await liveCache();
    try {
      const { user, sid } = await signedIn();
      const other = await createSession(user.userId, '127.0.0.1');
      expect((await cache.get(sid))?.userId).toBe(user.userId);
      expect((await cache.get(other.id))?.userId).toBe(user.userId);
      const t = Date.now();
      await db().execute(sql`update user_sessions set revoked_at = now() where id = ${sid}`);
      await expect.poll(() => cache.get(sid), POLL).toBeNull();
      expect(Date.now() - t).toBeLessThan(2000);
      expect((await cache.get(other.id))?.userId).toBe(user.userId); // only that session ended
    } finally {
      await listener.stop();
    }
  });

  it('a password, role or reseller change ends every cached session of that user', async () => {
    const { cache, listener } = await liveCache();
    try {
      const reseller = await db().execute<{ id: number }>(sql`insert into resellers (name) values (${`R-${Date.now()}`}) returning id`);
      const changes = [
        sql`password_hash = 'another hash'`,
        sql`role_id = (select id from roles where name = 'admin')`,
        sql`reseller_id = ${reseller[0].id}`,
      ];
      for (const change of changes) {
        const { user, sid } = await signedIn();
        const second = (await createSession(user.userId, '10.0.0.1')).id;
        expect(await cache.get(sid)).not.toBeNull();
        expect(await cache.get(second)).not.toBeNull();
        await db().execute(sql`update users set ${change} where id = ${user.userId}`);
        await expect.poll(() => cache.get(sid), POLL).toBeNull();
        await expect.poll(() => cache.get(second), POLL).toBeNull();
      }
    } finally {
      await listener.stop();
    }
  });

  it('a role’s permission change reaches every cached user of it', async () => {
    const { cache, listener } = await liveCache();
    try {
      const role = await makeRole(['nas.view', 'nas.edit']);
      const [a, b] = [await signedIn(role), await signedIn(role)];
      await cache.get(a.sid);
      await cache.get(b.sid);
      await db().execute(sql`update roles set permissions = array['nas.view']::text[] where id = ${role}`);
      for (const s of [a, b]) {
        await expect.poll(async () => [...(await cache.get(s.sid))!.permissions], POLL).toEqual(['nas.view']);
      }
    } finally {
      await listener.stop();
    }
  });

  it('a lost LISTEN connection forgets everything; a change made meanwhile is seen after it reconnects', async () => {
    const { cache, listener, until } = await liveCache();
    try {
      const { user, sid } = await signedIn('admin');
      await cache.get(sid);
      const down = until(false);
      await sqlClient()`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen %' and datname = current_database()`;
      await down;
      expect(cache.size).toBe(0);
      await db().execute(sql`update users set name = 'Renamed while deaf' where id = ${user.userId}`);
      expect((await cache.get(sid))?.name).toBe('Renamed while deaf');
      await until(true);
      expect((await cache.get(sid))?.name).toBe('Renamed while deaf');
      await db().execute(sql`update user_sessions set revoked_at = now() where id = ${sid}`);
      await expect.poll(() => cache.get(sid), POLL).toBeNull();
    } finally {
      await listener.stop();
    }
  });

  it('cachedSessionActor (what every API call uses) sees a deactivation and a revocation too', async () => {
    const a = await signedIn();
    expect((await cachedSessionActor(a.sid))?.userId).toBe(a.user.userId);
    await db().execute(sql`update users set is_active = false where id = ${a.user.userId}`);
    await expect.poll(() => cachedSessionActor(a.sid), POLL).toBeNull();
    const b = await signedIn();
    expect((await cachedSessionActor(b.sid))?.userId).toBe(b.user.userId);
    await db().execute(sql`update user_sessions set revoked_at = now() where id = ${b.sid}`);
    await expect.poll(() => cachedSessionActor(b.sid), POLL).toBeNull();
  });
});
