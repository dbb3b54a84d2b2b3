import { drainPlanPushes } from '@/server/services/sessions/plan-push-run';
import type { JobDefinition } from './runner';

/** Asked every second: a push the page just started waits at most that long. */
const POLL_MS = 1000;

/** The live plan change worker: every instance polls; each push runs under its own advisory lock (plan-push-run.ts). */
export function planPushJob(log: (line: string) => void): JobDefinition {
  return {
    name: 'plan-push',
    intervalMs: POLL_MS,
    firstDelayMs: 1000,
    lock: null,
    oncePerInterval: false,
    run: async () => {
      await drainPlanPushes({ log });
    },
  };
}
