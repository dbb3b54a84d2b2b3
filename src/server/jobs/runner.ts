import os from 'node:os';
import type postgres from 'postgres';
import { withTryAdvisoryLock } from '@/server/db/advisory-locks';
import { sqlClient } from '@/server/db/client';
import { jobErrorText } from './error-text';
import { claimJobRun, recordJobFinish } from './job-runs';

/**
 * Background jobs as declarations: a name, a schedule, a lock, and a handler. Every app instance starts
 * the same list (instrumentation.ts); the runner owns the schedule and the lock, so a locked job runs on one
 * instance at a time and, with `oncePerInterval`, once per interval across all of them.
 */
export interface JobDefinition {
  name: string;
  intervalMs: number;
  firstDelayMs: number;
  /** An ADVISORY_LOCKS key held for the whole run; null for work that coordinates itself (SKIP LOCKED). */
  lock: { key: number } | null;
  /** Needs a lock: skip the turn when any instance started this job less than an interval ago (job_runs). */
  oncePerInterval: boolean;
  run(ctx: JobContext): Promise<void>;
}

export interface JobContext {
  /** This instance, as recorded in job_runs.last_instance. */
  instance: string;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

export interface RunnerOptions {
  log?: (line: string) => void;
  /** The pool that takes the locks; the app's own by default (tests give each runner its own). */
  sql?: () => postgres.Sql;
  instance?: string;
}

const g = globalThis as unknown as { __nasPanelJobs?: RunningJobs };

/** The process's runner: a second start (Next dev reloads) returns the first one instead of stacking timers. */
export function startJobs(jobs: JobDefinition[], log: (line: string) => void = console.log): RunningJobs {
  if (g.__nasPanelJobs) return g.__nasPanelJobs;
  const runner = createJobRunner(jobs, { log });
  const running: RunningJobs = {
    async stop() {
      await runner.stop();
      if (g.__nasPanelJobs === running) g.__nasPanelJobs = undefined;
    },
  };
  g.__nasPanelJobs = running;
  return running;
}

/** One runner, as one app instance would have; most code wants `startJobs`. */
export function createJobRunner(jobs: JobDefinition[], opts: RunnerOptions = {}): RunningJobs {
  const log = opts.log ?? console.log;
  const sql = opts.sql ?? sqlClient;
  const instance = opts.instance ?? `${os.hostname()}:${process.pid}`;
  for (const job of jobs) {
    if (job.oncePerInterval && !job.lock) throw new Error(`job ${job.name}: oncePerInterval needs a lock`);
  }
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const runOnce = async (job: JobDefinition) => {
    if (!job.lock) {
      await job.run({ instance }).catch((e) => log(`[jobs] ${job.name} failed: ${jobErrorText(e)}`));
      return;
    }
    // A skip is quiet: another instance holds the lock (running it now) or started it within the interval.
    await withTryAdvisoryLock(sql(), job.lock.key, async (conn) => {
      if (!(await claimJobRun(conn, job, instance))) return;
      let error: string | null = null;
      try {
        await job.run({ instance });
      } catch (e) {
        error = jobErrorText(e);
        log(`[jobs] ${job.name} failed: ${error}`);
      }
      await recordJobFinish(conn, job.name, error);
    });
  };

  for (const job of jobs) {
    const tick = async () => {
      if (stopped) return;
      // Contained: a failed run, or a database that is down, costs this turn only.
      const p = runOnce(job).catch((e) => log(`[jobs] ${job.name}: could not take its lock or record its run: ${jobErrorText(e)}`));
      inFlight.add(p);
      await p;
      inFlight.delete(p);
      // Schedule after completion: a slow run never overlaps the next one in this process.
      if (!stopped) schedule(job.intervalMs);
    };
    const schedule = (ms: number) => {
      const t = setTimeout(() => {
        timers.delete(t);
        void tick();
      }, ms);
      t.unref();
      timers.add(t);
    };
    schedule(job.firstDelayMs);
  }

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...inFlight]);
    },
  };
}
