import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { ADVISORY_LOCKS } from '@/server/db/advisory-locks';
import { db } from '@/server/db/client';
import { panelJobs } from './definitions';
import { createJobRunner, startJobs, type JobDefinition } from './runner';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pools: postgres.Sql[] = [];

/** An app instance's own connection pool, as a second panel process would have. */
function instancePool() {
  const p = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
  pools.push(p);
  return () => p;
}

async function jobRow(name: string) {
  const [r] = await db().execute<{ runs: string; last_outcome: string; last_error: string; last_instance: string }>(
    sql`select runs, last_outcome, last_error, last_instance from job_runs where name = ${name}`,
  );
  return r;
}

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
});

it('runs each job on its interval, never overlapping itself, and stops cleanly', async () => {
  let runs = 0;
  let concurrent = 0;
  let maxConcurrent = 0;
  const jobs = startJobs(
    [
      {
        name: 'slow',
        intervalMs: 5,
        firstDelayMs: 0,
        lock: null,
        oncePerInterval: false,
        run: async () => {
          runs++;
          maxConcurrent = Math.max(maxConcurrent, ++concurrent);
          await sleep(20);
          concurrent--;
        },
      },
      {
        name: 'failing',
        intervalMs: 5,
        firstDelayMs: 0,
        lock: null,
        oncePerInterval: false,
        run: async () => Promise.reject(new Error('router on fire')),
      },
    ],
    () => {},
  );
  // A second start in the same process (Next dev reloads) must not stack timers.
  expect(startJobs([], () => {})).toBe(jobs);
  await sleep(150);
  await jobs.stop();
  const after = runs;
  await sleep(50);
  expect(after).toBeGreaterThan(2);
  expect(runs).toBe(after);
  expect(maxConcurrent).toBe(1);
});

it('runs the heartbeat once per interval across two instances, not once per instance, and the survivor takes over', async () => {
  const intervalMs = 400;
  const starts: { instance: string; at: number }[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  // The panel's own declaration (its lock, its once-per-interval rule) with a short interval and a stand-in sweep.
  const heartbeat = panelJobs(() => {}).find((j) => j.name === 'heartbeat')!;
  const job: JobDefinition = {
    ...heartbeat,
    intervalMs,
    firstDelayMs: 0,
    run: async ({ instance }) => {
      starts.push({ instance, at: performance.now() });
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      await sleep(30);
      concurrent--;
    },
  };
  const a = createJobRunner([job], { sql: instancePool(), instance: 'panel-a', log: () => {} });
  const b = createJobRunner([job], { sql: instancePool(), instance: 'panel-b', log: () => {} });

  const windowMs = 4000;
  await sleep(windowMs);
  await a.stop();
  const both = starts.length;
  const gaps = starts.slice(1).map((s, i) => s.at - starts[i].at);
  // Once per interval allows at most one start per (interval - 10 %); two instances each running every
  // interval would make ~2x as many, with starts a fraction of an interval apart. Loose lower bound: a
  // loaded machine delays timers.
  expect(both).toBeGreaterThanOrEqual(4);
  expect(both).toBeLessThanOrEqual(Math.floor(windowMs / (intervalMs * 0.9)) + 2);
  expect(Math.min(...gaps)).toBeGreaterThan(intervalMs * 0.6);
  expect(maxConcurrent).toBe(1);

  // The instance left alone keeps the heartbeat going.
  await sleep(3 * intervalMs);
  await b.stop();
  const alone = starts.slice(both);
  expect(alone.length).toBeGreaterThanOrEqual(1);
  expect(alone.every((s) => s.instance === 'panel-b')).toBe(true);
  expect(await jobRow('heartbeat')).toMatchObject({ last_instance: 'panel-b', last_outcome: 'ok', runs: String(starts.length) });
});

it('records a failed run with a short error (no SQL parameters) and keeps the schedule', async () => {
  const lines: string[] = [];
  let attempt = 0;
  let rowDuringSecond: Awaited<ReturnType<typeof jobRow>> | undefined;
  const runner = createJobRunner(
    [
      {
        name: 'flaky-sweep',
        intervalMs: 150,
        firstDelayMs: 0,
        lock: { key: ADVISORY_LOCKS.heartbeatJob }, // this file's own database: no real heartbeat here
        oncePerInterval: true,
        run: async () => {
          attempt++;
          if (attempt === 1) await db().execute(sql`select ${'hunter2-secret'}::int`); // 22P02, quoting the value
          if (attempt === 2) {
            rowDuringSecond = await jobRow('flaky-sweep');
            throw new Error('router 10.0.0.1 did not answer\n    at stack frame');
          }
        },
      },
    ],
    { sql: instancePool(), instance: 'panel-a', log: (l) => lines.push(l) },
  );
  try {
    await expect.poll(() => attempt, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => jobRow('flaky-sweep'), { timeout: 5000 }).toMatchObject({ last_outcome: 'ok', last_error: '' });
  } finally {
    await runner.stop();
  }
  // The first run's failure, as the second run found it.
  expect(rowDuringSecond).toMatchObject({ last_outcome: 'failed', last_error: 'database error 22P02', runs: '2' });
  expect(lines).toEqual(['[jobs] flaky-sweep failed: database error 22P02', '[jobs] flaky-sweep failed: router 10.0.0.1 did not answer']);
  expect(lines.join('\n')).not.toContain('hunter2');
});
