import { ADVISORY_LOCKS } from '@/server/db/advisory-locks';
import { sampleNasSessions, SESSION_SAMPLE_INTERVAL_MS } from '@/server/services/nas/session-samples';
import type { JobDefinition } from './runner';

/**
 * The NAS dashboard's session sampler: one run per interval across every panel process (the runner's advisory
 * lock and job_runs, as for the heartbeat); the first soon after start, so a fresh panel's chart has a point.
 */
export function nasSessionSamplerJob(log: (line: string) => void, intervalMs = SESSION_SAMPLE_INTERVAL_MS): JobDefinition {
  return {
    name: 'nas-session-sampler',
    intervalMs,
    firstDelayMs: Math.min(15_000, intervalMs),
    lock: { key: ADVISORY_LOCKS.nasSessionSamplerJob },
    oncePerInterval: true,
    run: async () => {
      const r = await sampleNasSessions({ intervalMs });
      if (r.pruned) log(`[nas-session-sampler] sampled ${r.sampled} NAS, pruned ${r.pruned} old samples`);
    },
  };
}
