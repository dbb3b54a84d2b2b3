import { listenChannel, type ChannelListener } from '@/server/db/listen';
import { loadActor, type Actor } from './actor';

/** The channel the users/roles triggers notify on (migration 0006): a user id, or '*' for everyone. */
export const ACTOR_CHANNEL = 'nas_panel_actor';

/**
 * The actors this instance has loaded, kept only while it can hear every change to them.
 *
 * Loading the actor was one database round trip on every API call, about a tenth of a page call
 * (docs/BENCHMARKS.md). A cache must not let a deactivated user or a revoked permission live on, so:
 * - entries are served only while the LISTEN connection is up; when it drops, everything is forgotten and
 *   every call loads fresh until it is back;
 * - a change notified (at commit) evicts the user, or everyone for a role change;
 * - a load that overlapped any eviction or reconnect is returned but not kept (the generation counter),
 *   so a row read just before a change can never outlive the change's notification;
 * - and no entry is older than `maxAgeMs`, a bound should anything above ever fail silently.
 */
export class ActorCache {
  private readonly entries = new Map<number, { actor: Actor | null; at: number }>();
  private generation = 0;
  private live = false;

  constructor(
    private readonly load: (userId: number) => Promise<Actor | null>,
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

  /** A notification: one user id, or '*' for all. */
  evict(who: number | '*') {
    this.generation++;
    if (who === '*') this.entries.clear();
    else this.entries.delete(who);
  }

  get size() {
    return this.entries.size;
  }

  async get(userId: number): Promise<Actor | null> {
    if (this.live) {
      const hit = this.entries.get(userId);
      if (hit && this.now() - hit.at < this.opts.maxAgeMs) return hit.actor;
    }
    const generation = this.generation;
    const actor = await this.load(userId);
    if (this.live && generation === this.generation) {
      if (this.entries.size >= this.opts.maxEntries) this.entries.clear();
      this.entries.set(userId, { actor, at: this.now() });
    }
    return actor;
  }
}

/** Parses a notification payload; anything but a user id evicts everyone. */
export function evictionTarget(payload: string): number | '*' {
  return /^\d+$/.test(payload) ? Number(payload) : '*';
}

// One cache and one LISTEN connection per process: Next evaluates the API route and the pages in separate
// module graphs, and its dev server re-evaluates modules, so both live on globalThis.
const g = globalThis as unknown as { __nasPanelActors?: { cache: ActorCache; listener: ChannelListener } };

/** The actor for a signed-in user id, from this instance's cache when it may be trusted. */
export function cachedActor(userId: number): Promise<Actor | null> {
  // A listener stopped by closeDb() (scripts and tests close and reopen the database) is replaced.
  if (!g.__nasPanelActors || g.__nasPanelActors.listener.stopped) {
    const cache = new ActorCache(loadActor);
    const listener = listenChannel(ACTOR_CHANNEL, (payload) => cache.evict(evictionTarget(payload)), (on) => cache.setListening(on));
    g.__nasPanelActors = { cache, listener };
  }
  return g.__nasPanelActors.cache.get(userId);
}
