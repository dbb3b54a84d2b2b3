import { env } from '@/env';
import { ADVISORY_LOCKS } from '@/server/db/advisory-locks';
import { heartbeatSweep } from '@/server/services/nas/heartbeat';
import { drainPoolImports } from '@/server/services/pools/run-pool-import';
import type { JobDefinition } from './runner';

export function panelJobs(log: (line: string) => void = console.log): JobDefinition[] {
  const e = env();
  return [
    {
      // Every instance drains the queue: rows are claimed with FOR UPDATE SKIP LOCKED, so no lock here.
      name: 'pool-import',
      intervalMs: e.POOL_IMPORT_POLL_MS,
      firstDelayMs: 500,
      lock: null,
      oncePerInterval: false,
      run: async () => {
        await drainPoolImports({ log });
      },
    },
    {
      // One sweep per interval across all instances, not one per instance.
      name: 'heartbeat',
      intervalMs: e.HEARTBEAT_INTERVAL_MS,
      firstDelayMs: e.HEARTBEAT_FIRST_DELAY_MS,
      lock: { key: ADVISORY_LOCKS.heartbeatJob },
      oncePerInterval: true,
      run: async () => {
        const r = await heartbeatSweep({ lock: false }); // the runner already holds the heartbeat's lock
        const retried = r.importsRetried ? `; ${r.importsRetried} pool imports queued again` : '';
        log(`[heartbeat] polled ${r.polled} routers, ${r.answered} answered; ${r.online} online, ${r.offline} offline${retried} (${r.ms} ms)`);
      },
    },
  ];
}
