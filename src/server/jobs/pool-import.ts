import { env } from '@/env';
import { claimNextImport } from '@/server/services/pools/pool-import-queue';
import { runPoolImport } from '@/server/services/pools/run-pool-import';
import type { JobDefinition } from './runner';

/** The pool-import worker: every instance drains the queue, since rows are claimed with FOR UPDATE SKIP LOCKED. */
export function poolImportJob(log: (line: string) => void): JobDefinition {
  return {
    name: 'pool-import',
    intervalMs: env().POOL_IMPORT_POLL_MS,
    firstDelayMs: 500,
    lock: null,
    oncePerInterval: false,
    run: async () => {
      await drainPoolImports({ log });
    },
  };
}

/** Claim and run imports until none is due, at most `max` per tick so a flood cannot starve the next one. */
export async function drainPoolImports(opts: { max?: number; concurrency?: number; log?: (line: string) => void } = {}) {
  const max = opts.max ?? 50;
  let taken = 0;
  const worker = async () => {
    // A worker takes its slot before it claims: workers claim in parallel, so a count after the claim overshoots.
    while (taken < max) {
      taken++;
      const job = await claimNextImport();
      if (!job) {
        taken--;
        return;
      }
      await runPoolImport(job, opts.log);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  return taken;
}
