import { claimNextSubscriberImport } from '@/server/services/subscribers/subscriber-import-queue';
import { runSubscriberImport, type RunOptions } from '@/server/services/subscribers/subscriber-import-run';
import type { JobDefinition } from './runner';

/** Asked every second: the claim is one indexed statement, and an import waits at most that long to start. */
const POLL_MS = 1000;

/** The subscriber-import worker: every instance drains the queue, since imports are claimed with FOR UPDATE SKIP LOCKED. */
export function subscriberImportJob(log: (line: string) => void): JobDefinition {
  return {
    name: 'subscriber-import',
    intervalMs: POLL_MS,
    firstDelayMs: 1000,
    lock: null,
    oncePerInterval: false,
    run: async () => {
      await drainSubscriberImports({ log });
    },
  };
}

/** Claim and run imports one after another until none is queued (each is one long transaction: no parallelism). */
export async function drainSubscriberImports(opts: RunOptions & { max?: number } = {}): Promise<number> {
  const max = opts.max ?? 10;
  let ran = 0;
  while (ran < max) {
    const id = await claimNextSubscriberImport();
    if (id === null) break;
    await runSubscriberImport(id, opts);
    ran++;
  }
  return ran;
}
