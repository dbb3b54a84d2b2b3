import { listenChannel, type ChannelListener } from '@/server/db/listen';
import type { NasClients } from './nas-clients';
import type { SubscriberDirectory } from './subscribers';

/** The channel the triggers of migration 0012 notify: '<table>:<id>', or '<table>:*' for many rows. */
export const RADIUS_CHANNEL = 'nas_panel_radius';

export interface LiveReload {
  /** Resolves once the LISTEN is in place and everything was loaded after it (nothing missed in between). */
  ready: Promise<void>;
  /** Notifications applied, for tests and the log. */
  readonly applied: number;
  stop(): Promise<void>;
}

/**
 * Keeps the NAS clients, subscribers and plans current: each change arrives at its commit and is applied within
 * milliseconds (no restart, unlike FreeRADIUS's clients from SQL). While the LISTEN connection is down changes
 * could be missed, so coming back means a full reload; a full reload also runs every `reloadMs` as a safety net.
 * Everything is applied one at a time, in arrival order, so a reload never overwrites a newer change.
 */
export function startLiveReload(
  clients: NasClients,
  subscribers: SubscriberDirectory,
  opts: { reloadMs: number; log: (line: string) => void },
): LiveReload {
  let chain: Promise<void> = Promise.resolve();
  let applied = 0;
  let stopped = false;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));

  const enqueue = (what: string, work: () => Promise<void>) => {
    chain = chain.then(work).catch((e: unknown) => opts.log(`[radius] reload of ${what} failed: ${e instanceof Error ? e.message : e}`));
    return chain;
  };
  const reloadAll = () =>
    enqueue('everything', async () => {
      const t = performance.now();
      await clients.reloadAll();
      await subscribers.reloadAll();
      opts.log(`[radius] loaded ${clients.size} NAS and ${subscribers.size} subscribers in ${Math.round(performance.now() - t)} ms`);
    });

  const onNotify = (payload: string) => {
    const [table, id] = payload.split(':');
    const all = id === '*';
    const n = Number(id);
    if (!all && !Number.isSafeInteger(n)) return;
    applied++;
    if (table === 'nas_devices') void enqueue(payload, () => (all ? clients.reloadAll() : clients.reloadOne(n)));
    else if (table === 'subscribers') void enqueue(payload, () => (all ? subscribers.reloadAll() : subscribers.reloadSubscriber(n)));
    else if (table === 'plans') void enqueue(payload, () => (all ? subscribers.reloadPlans() : subscribers.reloadPlan(n)));
  };

  const listener: ChannelListener = listenChannel(RADIUS_CHANNEL, onNotify, (listening) => {
    if (listening) void reloadAll().then(resolveReady);
  });
  const timer = setInterval(() => void reloadAll(), opts.reloadMs);
  timer.unref();

  return {
    ready,
    get applied() {
      return applied;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await listener.stop();
      await chain;
    },
  };
}
