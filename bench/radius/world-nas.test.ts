import { describe, expect, it } from 'vitest';
import { nasHost } from '../lib/config';
import { ownSubscriber, worldNas, worldNasNumber } from './world-nas';

describe('the world NAS as the generator speaks for them', () => {
  it('maps an address back to its NAS number', () => {
    for (const n of [1, 2, 255, 256, 999, 1000]) expect(worldNasNumber(nasHost(n))).toBe(n);
  });

  it('picks only subscribers of the asking NAS (world.ts: subscriber k is on NAS (k mod nas) + 1), all of them in range', () => {
    for (const [nasCount, subscribers] of [
      [100, 50_000],
      [1_000, 500_000],
      [7, 20],
    ]) {
      const pick = ownSubscriber(nasCount, subscribers);
      for (const endpoint of worldNas(nasCount, 's')) {
        const n = worldNasNumber(endpoint.address);
        const seen = new Set<number>();
        for (const r of [0, 0.25, 0.5, 0.999999]) {
          const k = pick(endpoint, r);
          expect(k).toBeGreaterThanOrEqual(1);
          expect(k).toBeLessThanOrEqual(subscribers);
          expect((k % nasCount) + 1).toBe(n);
          seen.add(k);
        }
        if (subscribers / nasCount > 4) expect(seen.size).toBe(4);
      }
    }
  });
});
