import { describe, expect, it } from 'vitest';
import { DuplicateCache } from './duplicates';

describe('DuplicateCache', () => {
  it('answers a retransmission with the reply sent, and forgets it after the ttl', () => {
    const cache = new DuplicateCache(5000);
    expect(cache.check('a', 0)).toEqual({ kind: 'new' });
    expect(cache.check('a', 10)).toEqual({ kind: 'in-progress' });
    cache.settle('a', Buffer.from('reply'), 20);
    expect(cache.check('a', 4000)).toEqual({ kind: 'replied', reply: Buffer.from('reply') });
    expect(cache.check('a', 5020)).toEqual({ kind: 'new' });
  });

  it('tries a request dropped without a reply again', () => {
    const cache = new DuplicateCache(5000);
    cache.check('a', 0);
    cache.settle('a', null, 1);
    expect(cache.check('a', 2)).toEqual({ kind: 'new' });
  });

  it('drops expired entries as packets arrive, keeping one settled after a later arrival', () => {
    const cache = new DuplicateCache(5000);
    cache.check('slow', 0);
    cache.check('fast', 1000);
    cache.settle('fast', Buffer.from('f'), 1001);
    for (let i = 0; i < 1000; i++) cache.check(`x${i}`, 2000);
    cache.settle('slow', Buffer.from('s'), 4000); // its reply left at 4000: retransmissions until 9000 get it
    expect(cache.size).toBe(1002);
    cache.check('probe', 7500); // the x's (2000) and 'fast' (1001) are expired, 'slow' (4000) is not
    expect(cache.size).toBe(2);
    expect(cache.check('slow', 8000)).toEqual({ kind: 'replied', reply: Buffer.from('s') });
  });
});
