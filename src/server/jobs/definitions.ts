import { env } from '@/env';
import { heartbeatSweep } from '@/server/services/nas/heartbeat';
import { drainPoolImports } from '@/server/services/pools/run-pool-import';
import type { JobDefinition } from './runner';

export function panelJobs(log: (line: string) => void = console.log): JobDefinition[] {
  const e = env();
  return [
    {
      name: 'pool-import',
      intervalMs: e.POOL_IMPORT_POLL_MS,
      firstDelayMs: 500,
      run: async () => {
        await drainPoolImports({ log });
      },
    },
    {
      name: 'heartbeat',
      intervalMs: e.HEARTBEAT_INTERVAL_MS,
      firstDelayMs: e.HEARTBEAT_FIRST_DELAY_MS,
      run: async () => {
        const r = await heartbeatSweep();
        if (r.ran) log(`[heartbeat] polled ${r.polled} routers, ${r.answered} answered; ${r.online} online, ${r.offline} offline (${r.ms} ms)`);
      },
    },
  ];
}
