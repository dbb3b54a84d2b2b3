/**
 * The simulated routers of a bench run, in their own process: their CPU and memory stay out of the
 * measurements taken in the bench process (the heartbeat's event loop, the import's RSS). Driven over IPC
 * by lib/sim.ts; exits, closing every listener, when the bench goes away.
 */
import {
  startRouter,
  type FaultMode,
  type SimPoolConfig,
  type SimPppActiveConfig,
  type SimRouter,
  type SimRouterConfig,
} from '../tools/routeros-sim';

type Msg =
  | { id: number; op: 'start'; cfgs: SimRouterConfig[] }
  | { id: number; op: 'setFault'; hosts: string[]; fault: FaultMode }
  | { id: number; op: 'setPools'; host: string; pools: SimPoolConfig[] }
  | { id: number; op: 'setPppActive'; host: string; sessions: SimPppActiveConfig[] }
  | { id: number; op: 'stop'; hosts: string[] }
  | { id: number; op: 'stopAll' };

const routers = new Map<string, SimRouter>();
const START_CONCURRENCY = 64;

function get(host: string): SimRouter {
  const r = routers.get(host);
  if (!r) throw new Error(`no simulated router on ${host}`);
  return r;
}

async function bounded<T>(items: T[], fn: (x: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, items.length) }, worker));
}

async function handle(m: Msg): Promise<unknown> {
  switch (m.op) {
    case 'start': {
      const started: { host: string; apiPort: number; coaPort: number | null }[] = [];
      await bounded(m.cfgs, async (cfg) => {
        if (routers.has(cfg.host)) throw new Error(`a simulated router already runs on ${cfg.host}`);
        const r = await startRouter(cfg);
        routers.set(cfg.host, r);
        started.push({ host: r.host, apiPort: r.apiPort, coaPort: r.coaPort });
      });
      return started;
    }
    case 'setFault':
      await Promise.all(m.hosts.map((h) => get(h).setFault(m.fault)));
      return null;
    case 'setPools':
      get(m.host).setPools(m.pools);
      return null;
    case 'setPppActive':
      get(m.host).setPppActive(m.sessions);
      return null;
    case 'stop':
      await bounded(m.hosts, async (h) => {
        await routers.get(h)?.stop();
        routers.delete(h);
      });
      return null;
    case 'stopAll':
      await stopAll();
      return null;
  }
}

async function stopAll() {
  await bounded([...routers.keys()], async (h) => {
    await routers.get(h)?.stop();
    routers.delete(h);
  });
}

process.on('message', (m: Msg) => {
  handle(m).then(
    (result) => process.send?.({ id: m.id, ok: true, result }),
    (e: unknown) => process.send?.({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
process.on('disconnect', () => {
  void stopAll().finally(() => process.exit(0));
});
process.send?.({ id: 0, ok: true, result: 'ready' });
