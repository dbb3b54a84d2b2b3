import type postgres from 'postgres';
import type { JobDefinition } from './runner';

/**
 * A start counts as this interval's when it is at most this much short of a whole interval: timers fire a
 * little early or late, and without the slack an instance could lose its turn by a millisecond.
 */
export function startTolerance(intervalMs: number): number {
  return Math.min(intervalMs * 0.1, 1000);
}

/**
 * Record this instance's start of `job` (under the job's lock, on the lock's connection), or return false
 * when it is `oncePerInterval` and some instance started it less than an interval ago. Database time on
 * both sides, so instances with skewed clocks still agree.
 */
export async function claimJobRun(
  conn: postgres.Sql,
  job: Pick<JobDefinition, 'name' | 'intervalMs' | 'oncePerInterval'>,
  instance: string,
): Promise<boolean> {
  const minGapMs = job.oncePerInterval ? job.intervalMs - startTolerance(job.intervalMs) : 0;
  const rows = await conn`
    insert into job_runs as j (name, last_started_at, last_instance, runs)
    values (${job.name}, now(), ${instance}, 1)
    on conflict (name) do update set last_started_at = now(), last_instance = excluded.last_instance, runs = j.runs + 1
      where j.last_started_at is null or j.last_started_at <= now() - ${minGapMs}::float8 * interval '1 millisecond'
    returning runs`;
  return rows.length > 0;
}

/** The run's end: 'ok', or 'failed' with a short error text (see jobErrorText). */
export async function recordJobFinish(conn: postgres.Sql, name: string, error: string | null): Promise<void> {
  await conn`
    update job_runs set last_finished_at = now(), last_outcome = ${error === null ? 'ok' : 'failed'}, last_error = ${error ?? ''}
    where name = ${name}`;
}
