import { RouterOsError, type RouterOsErrorKind } from '@/server/integrations/routeros';
import { DomainError } from '@/server/errors';
import {
  finishImport,
  POOL_IMPORT_LOG_LABELS,
  retryDelaySeconds,
  type ClaimedImport,
  type PoolImportFailureKind,
} from './pool-import-queue';
import { importPools } from './import-pools';

// The router (or the network to it) did not answer: waiting may help. Anything else it said will be the same.
const UNANSWERED: ReadonlySet<RouterOsErrorKind> = new Set(['refused', 'timeout', 'reset', 'unreachable', 'fatal']);

function failureKindOf(e: unknown): PoolImportFailureKind {
  if (e instanceof RouterOsError) return UNANSWERED.has(e.kind) ? 'unreachable' : 'refused';
  // A content refusal (pool too large, no credentials) stays refused; an unexpected failure (the database
  // went away mid-import) may pass, and retries are bounded.
  return e instanceof DomainError ? 'refused' : 'unreachable';
}

/** Run one claimed import to its recorded outcome; never throws (the worker loop must survive any router). */
export async function runPoolImport(job: ClaimedImport, log: (line: string) => void = console.log) {
  try {
    const summary = await importPools(job.nasId, { log, reason: job.reason });
    await finishImport(job, { ok: true, summary });
  } catch (e) {
    const known = e instanceof RouterOsError || e instanceof DomainError;
    const message = known ? (e as Error).message : 'internal error (details in the server log)';
    if (!known) console.error(`pool import for NAS #${job.nasId} failed unexpectedly`, e);
    const kind = failureKindOf(e);
    const next = await finishImport(job, { ok: false, error: message, kind }).catch((err) => {
      console.error('could not record pool import failure', err);
      return 'failed' as const;
    });
    const then = next === 'retry' ? `; trying again in ${retryDelaySeconds(job.attempts)} s` : '';
    log(`${POOL_IMPORT_LOG_LABELS[job.reason]}: pool import for NAS #${job.nasId} failed (attempt ${job.attempts}): ${message}${then}`);
  }
}
