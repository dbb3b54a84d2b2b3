import { listenChannel, type ChannelListener } from '@/server/db/listen';
import { loadSession, type Actor, type SessionState } from './actor';

/**
 * The channel the triggers on users, roles (migration 0006) and user_sessions (0009) notify on: a user id,
 * or '*' for everyone.
 */
export const ACTOR_CHANNEL = 'nas_panel_actor';

/**
 * The sessions this instance has resolved (session id → its user's actor), kept only while it can hear
 * every change to them.
 *
 * Loading them was one database round trip on every API call, about a tenth of a page call
 * (docs/BENCHMARKS.md). A cache must not let a revoked session, a deactivated user or a revoked permission
 * live on, so:
 * - entries are served only while the LISTEN connection is up; when it drops, everything is forgotten and
 *   every call loads fresh until it is back;
 * - a change notified (at commit) evicts every session of that user, or everyone for a role change;
 * - a load that overlapped any eviction or reconnect is returned but not kept (the generation counter),
 *   so a row read just before a change can never outlive the change's notification;
 * - a session is never answered past its expiry, and no entry is older than `maxAgeMs`, a bound should
 *   anything above ever fail silently.
 */
export class ActorCache {
  private readonly entries = new Map<string, { session: SessionState | null; at: number }>();
  private readonly byUser = new Map<number, Set<string>>();
  private generation = 0;
  private live = false;

  constructor(
    private readonly load: (sessionId: string) => Promise<SessionState | null>,
    private readonly opts: { maxAgeMs: number; maxEntries: number; now?: () => number } = { maxAgeMs: 60_000, maxEntries: 10_000 },
  ) {}

  private now() {
    return this.opts.now ? this.opts.now() : performance.now();
  }

  /** The notification connection came up (true) or went down (false): either way, nothing known is kept. */
  setListening(listening: boolean) {
    this.live = listening;
    this.evict('*');
  }

  /** A notification: every session of one user, or '*' for all. */
  evict(who: number | '*') {
    this.generation++;
    if (who === '*') {
      this.entries.clear();
      this.byUser.clear();
      return;
    }
    for (const id of this.byUser.get(who) ?? []) this.entries.delete(id);
    this.byUser.delete(who);
  }

  get size() {
    return this.entries.size;
  }

  async get(sessionId: string): Promise<Actor | null> {
    if (this.live) {
      const hit = this.entries.get(sessionId);
      if (hit && this.now() - hit.at < this.opts.maxAgeMs) return actorOf(hit.session);
    }
    const generation = this.generation;
    const session = await this.load(sessionId);
    if (this.live && generation === this.generation) {
      if (this.entries.size >= this.opts.maxEntries) this.evict('*');
      this.entries.set(sessionId, { session, at: this.now() });
      if (session) {
        const ids = this.byUser.get(session.userId) ?? new Set<string>();
        this.byUser.set(session.userId, ids.add(sessionId));
      }
    }
    return actorOf(session);
  }
}

function actorOf(session: SessionState | null): Actor | null {
  return session && Date.now() < session.expiresAt ? session.actor : null;
}

/** Parses a notification payload; anything but a user id evicts everyone. */
export function evictionTarget(payload: string): number | '*' {
  return /^\d+$/.test(payload) ? Number(payload) : '*';
}

// One cache and one LISTEN connection per process: Next evaluates the API route and the pages in separate
// module graphs, and its dev server re-evaluates modules, so both live on globalThis.
const g = globalThis as unknown as { __nasPanelActors?: { cache: ActorCache; listener: ChannelListener } };

/** This process's cache (exported for tests that need to know it is serving). */
export function instanceActorCache(): ActorCache {
  // A listener stopped by closeDb() (scripts and tests close and reopen the database) is replaced.
  if (!g.__nasPanelActors || g.__nasPanelActors.listener.stopped) {
    const cache = new ActorCache(loadSession);
    const listener = listenChannel(
      ACTOR_CHANNEL,
      (payload) => cache.evict(evictionTarget(payload)),
      (on) => cache.setListening(on),
    );
    g.__nasPanelActors = { cache, listener };
  }
  return g.__nasPanelActors.cache;
}

/** The actor of a live session, from this instance's cache when it may be trusted; null when it is over. */
export function cachedSessionActor(sessionId: string): Promise<Actor | null> {
  return instanceActorCache().get(sessionId);
}

/** After this instance revoked a user's session: forget it now rather than when the notification comes back. */
export function forgetUserSessions(userId: number) {
  g.__nasPanelActors?.cache.evict(userId);
}
