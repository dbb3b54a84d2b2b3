import { RouterOsError } from '@/server/integrations/routeros';
import { DomainError } from '@/server/errors';
import { claimNextImport, finishImport, type ClaimedImport } from './pool-import-queue';
import { syncPools } from './sync-pools';

const LABELS = { create: 'NAS Create', update: 'NAS Update', sync: 'NAS Sync' } as const;

/** Run one claimed import to its recorded outcome; never throws (the worker loop must survive any router). */
export async function runImport(job: ClaimedImport, log: (line: string) => void = console.log) {
  try {
    const summary = await syncPools(job.nasId, { log, label: LABELS[job.reason] });
    await finishImport(job, { ok: true, summary });
  } catch (e) {
    const message = e instanceof RouterOsError || e instanceof DomainError ? e.message : `internal error: ${(e as Error)?.message ?? e}`;
    log(`${LABELS[job.reason]}: pool import for NAS #${job.nasId} failed: ${message}`);
    if (!(e instanceof RouterOsError || e instanceof DomainError)) console.error(e);
    await finishImport(job, { ok: false, error: message }).catch((err) => console.error('could not record pool import failure', err));
  }
}

/** Drain the queue: claim and run imports until none is left (bounded per tick so a flood cannot starve). */
export async function drainPoolImports(opts: { max?: number; concurrency?: number; log?: (line: string) => void } = {}) {
  const max = opts.max ?? 50;
  let done = 0;
  const worker = async () => {
    while (done < max) {
      const job = await claimNextImport();
      if (!job) return;
      done++;
      await runImport(job, opts.log);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  return done;
}
