import { describe, expect, it } from 'vitest';
import { withDeadline } from './deadline';

/** Live timers of this process, as Node counts them: a timer left behind shows up here. */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

const never = new Promise<never>(() => {});

describe('withDeadline', () => {
  it('rejects with the message once the deadline passes, not before', async () => {
    const started = Date.now();
    const err = await withDeadline(never, 150, 'no answer from the API within 0.15 s').catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('no answer from the API within 0.15 s');
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
  });

  it('rejects with the error a factory builds, built only when the deadline passes', async () => {
    class Late extends Error {}
    let built = 0;
    const late = new Late('late');
    const make = () => {
      built += 1;
      return late;
    };
    await expect(withDeadline(Promise.resolve('fast'), 50, make)).resolves.toBe('fast');
    expect(built).toBe(0);
    await expect(withDeadline(never, 50, make)).rejects.toBe(late);
    expect(built).toBe(1);
  });

  it('settles as the work does when the work is first, and leaves no timer behind', async () => {
    const before = liveTimers();
    await expect(withDeadline(Promise.resolve(42), 60_000, 'too slow')).resolves.toBe(42);
    expect(liveTimers()).toBe(before);

    const refused = new Error('connection refused');
    await expect(withDeadline(Promise.reject(refused), 60_000, 'too slow')).rejects.toBe(refused);
    expect(liveTimers()).toBe(before);
  });

  it('leaves no timer behind when the deadline fires', async () => {
    const before = liveTimers();
    await withDeadline(never, 20, 'too slow').catch(() => {});
    expect(liveTimers()).toBe(before);
  });
});
