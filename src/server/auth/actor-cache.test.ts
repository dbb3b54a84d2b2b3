import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeRole, makeUser } from '@/test/fixtures';
import { db, sqlClient } from '@/server/db/client';
import { listenChannel } from '@/server/db/listen';
import type { Actor } from './actor';
import { loadActor } from './actor';
import { ACTOR_CHANNEL, ActorCache, cachedActor, evictionTarget } from './actor-cache';

const actor = (userId: number, perms: string[] = ['nas.view']): Actor => ({
  userId, email: `u${userId}@t`, name: 'U', roleName: 'r', permissions: new Set(perms) as Actor['permissions'], resellerId: null,
});

/** A loader that counts calls and can be held open, to put an eviction in the middle of a load. */
function fakeLoader() {
  const state = { calls: 0, version: 0, hold: null as Promise<void> | null };
  const load = async (id: number) => {
    state.calls++;
    const seen = state.version;
    if (state.hold) await state.hold;
    return actor(id, [`v${seen}`]);
  };
  return { state, load };
}

describe('ActorCache (rules)', () => {
  const opts = { maxAgeMs: 60_000, maxEntries: 100 };

  it('keeps nothing while it cannot hear changes', async () => {
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, opts);
    await cache.get(1);
    await cache.get(1);
    expect(state.calls).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('serves a kept actor while listening, until that user or everyone is evicted', async () => {
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, opts);
    cache.setListening(true);
    await cache.get(1);
    await cache.get(2);
    await cache.get(1);
    expect(state.calls).toBe(2);
    cache.evict(1);
    await cache.get(1);
    await cache.get(2);
    expect(state.calls).toBe(3);
    cache.evict('*');
    await cache.get(2);
    expect(state.calls).toBe(4);
  });

  it('does not keep a load that overlapped an eviction (the row it read may predate the change)', async () => {
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, opts);
    cache.setListening(true);
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const pending = cache.get(1);
    cache.evict(1); // the change committed while the old row was on its way
    state.version++;
    release();
    state.hold = null;
    expect([...(await pending)!.permissions]).toEqual(['v0']);
    expect([...(await cache.get(1))!.permissions]).toEqual(['v1']);
    expect(state.calls).toBe(2);
  });

  it('forgets everything when the connection drops, and keeps nothing until it is back', async () => {
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, opts);
    cache.setListening(true);
    await cache.get(1);
    cache.setListening(false);
    expect(cache.size).toBe(0);
    await cache.get(1);
    await cache.get(1);
    expect(state.calls).toBe(3);
  });

  it('reloads an entry older than maxAgeMs, and never grows past maxEntries', async () => {
    let t = 0;
    const { state, load } = fakeLoader();
    const cache = new ActorCache(load, { maxAgeMs: 1000, maxEntries: 3, now: () => t });
    cache.setListening(true);
    await cache.get(1);
    t = 999;
    await cache.get(1);
    expect(state.calls).toBe(1);
    t = 1000;
    await cache.get(1);
    expect(state.calls).toBe(2);
    for (const id of [2, 3, 4, 5]) await cache.get(id);
    expect(cache.size).toBeLessThanOrEqual(3);
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
  const cache = new ActorCache(loadActor, { maxAgeMs: 3_600_000, maxEntries: 1000 });
  const states: boolean[] = [];
  let waiters: Array<{ want: boolean; resolve: () => void }> = [];
  const listener = listenChannel(ACTOR_CHANNEL, (p) => cache.evict(evictionTarget(p)), (on) => {
    cache.setListening(on);
    states.push(on);
    waiters = waiters.filter((w) => (w.want === on ? (w.resolve(), false) : true));
  });
  const until = (want: boolean) => new Promise<void>((resolve) => waiters.push({ want, resolve }));
  await until(true);
  return { cache, listener, states, until };
}

describe('ActorCache against PostgreSQL (LISTEN nas_panel_actor)', () => {
  it('a deactivated user loses access as soon as the change commits', async () => {
    const { cache, listener } = await liveCache();
    try {
      const u = await makeUser({ role: 'operator' });
      expect((await cache.get(u.userId))?.email).toBe(u.email);
      expect(cache.size).toBe(1);
      const t = Date.now();
      await db().execute(sql`update users set is_active = false where id = ${u.userId}`);
      await expect.poll(() => cache.get(u.userId), POLL).toBeNull();
      expect(Date.now() - t).toBeLessThan(2000); // the notification, not the hour-long max age
    } finally {
      await listener.stop();
    }
  });

  it('a user created under an id that was cached as "no such user" is seen at once', async () => {
    const { cache, listener } = await liveCache();
    try {
      const [{ id }] = await db().execute<{ id: number }>(sql`select nextval('users_id_seq')::int + 1000 as id`);
      expect(await cache.get(id)).toBeNull();
      expect(cache.size).toBe(1);
      await db().execute(sql`insert into users (id, email, password_hash, role_id)
        values (${id}, ${`late-${id}@test.local`}, 'x', (select id from roles where name = 'operator'))`);
      await expect.poll(async () => (await cache.get(id))?.userId, POLL).toBe(id);
    } finally {
      await listener.stop();
    }
  });

  it('a role’s permission change reaches every cached user of it', async () => {
    const { cache, listener } = await liveCache();
    try {
      const role = await makeRole(['nas.view', 'nas.edit']);
      const [a, b] = [await makeUser({ role }), await makeUser({ role })];
      await cache.get(a.userId);
      await cache.get(b.userId);
      await db().execute(sql`update roles set permissions = array['nas.view']::text[] where id = ${role}`);
      for (const u of [a, b]) {
        await expect.poll(async () => [...(await cache.get(u.userId))!.permissions], POLL).toEqual(['nas.view']);
      }
    } finally {
      await listener.stop();
    }
  });

  it('a lost LISTEN connection forgets everything; a change made meanwhile is seen after it reconnects', async () => {
    const { cache, listener, until } = await liveCache();
    try {
      const u = await makeUser({ role: 'admin' });
      await cache.get(u.userId);
      const down = until(false);
      await sqlClient()`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen %' and datname = current_database()`;
      await down;
      expect(cache.size).toBe(0);
      await db().execute(sql`update users set name = 'Renamed while deaf' where id = ${u.userId}`);
      expect((await cache.get(u.userId))?.name).toBe('Renamed while deaf');
      await until(true);
      expect((await cache.get(u.userId))?.name).toBe('Renamed while deaf');
    } finally {
      await listener.stop();
    }
  });

  it('cachedActor (what every API call uses) sees a deactivation too', async () => {
    const u = await makeUser({ role: 'operator' });
    expect((await cachedActor(u.userId))?.userId).toBe(u.userId);
    await db().execute(sql`update users set is_active = false where id = ${u.userId}`);
    await expect.poll(() => cachedActor(u.userId), POLL).toBeNull();
  });
});
