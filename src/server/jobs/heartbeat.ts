import { env } from '@/env';
import { ADVISORY_LOCKS } from '@/server/db/advisory-locks';
import { heartbeatSweep } from '@/server/services/nas/heartbeat';
import type { JobDefinition } from './runner';

/** The heartbeat: one sweep per interval across all instances, not one per instance. */
export function heartbeatJob(log: (line: string) => void): JobDefinition {
  const e = env();
  return {
    name: 'heartbeat',
    intervalMs: e.HEARTBEAT_INTERVAL_MS,
    firstDelayMs: e.HEARTBEAT_FIRST_DELAY_MS,
    lock: { key: ADVISORY_LOCKS.heartbeatJob },
    oncePerInterval: true,
    run: async () => {
      const r = await heartbeatSweep({ lock: false }); // the runner already holds the heartbeat's lock
      const retried = r.importsRetried ? `; ${r.importsRetried} pool imports queued again` : '';
      log(
        `[heartbeat] polled ${r.polled} routers, ${r.answered} answered; ${r.online} online, ${r.offline} offline${retried} (${r.ms} ms)`,
      );
    },
  };
}
