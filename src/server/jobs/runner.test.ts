import { expect, it } from 'vitest';
import { startJobs } from './runner';

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
        run: async () => {
          runs++;
          maxConcurrent = Math.max(maxConcurrent, ++concurrent);
          await new Promise((r) => setTimeout(r, 20));
          concurrent--;
        },
      },
      { name: 'failing', intervalMs: 5, firstDelayMs: 0, run: async () => Promise.reject(new Error('router on fire')) },
    ],
    () => {},
  );
  // A second start in the same process (Next dev reloads) must not stack timers.
  expect(startJobs([], () => {})).toBe(jobs);
  await new Promise((r) => setTimeout(r, 150));
  await jobs.stop();
  const after = runs;
  await new Promise((r) => setTimeout(r, 50));
  expect(after).toBeGreaterThan(2);
  expect(runs).toBe(after);
  expect(maxConcurrent).toBe(1);
});
