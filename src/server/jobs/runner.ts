/**
 * Background jobs as declarations: a name, an interval, and a handler. Started from instrumentation.ts in
 * every app instance; handlers coordinate through PostgreSQL (advisory locks, SKIP LOCKED), so starting
 * them twice, here or on another instance, never runs the same work twice.
 */
export interface JobDefinition {
  name: string;
  intervalMs: number;
  firstDelayMs: number;
  run: () => Promise<void>;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

const g = globalThis as unknown as { __nasPanelJobs?: RunningJobs };

export function startJobs(jobs: JobDefinition[], log: (line: string) => void = console.log): RunningJobs {
  if (g.__nasPanelJobs) return g.__nasPanelJobs; // dev server reloads must not stack timers
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  for (const job of jobs) {
    const tick = async () => {
      if (stopped) return;
      const p = job.run().catch((e) => log(`[jobs] ${job.name} failed: ${e instanceof Error ? e.message : e}`));
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

  const running: RunningJobs = {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...inFlight]);
      g.__nasPanelJobs = undefined;
    },
  };
  g.__nasPanelJobs = running;
  return running;
}
