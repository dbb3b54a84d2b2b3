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

  it('forgets entries within two ttl, keeping one settled late for a whole ttl after its reply', async () => {
    const cache = new DuplicateCache(5000);
    cache.check('slow', 0);
    for (let i = 0; i < 1000; i++) cache.check(`x${i}`, 2000);
    cache.settle('slow', Buffer.from('s'), 4000); // its reply left at 4000: retransmissions until 9000 get it
    expect(cache.size).toBe(1001);
    expect(cache.check('slow', 8999)).toEqual({ kind: 'replied', reply: Buffer.from('s') });
    expect(cache.size).toBe(1001); // one generation older now, still there
    cache.check('probe', 14_000); // two ttl after they came, they are gone
    expect(cache.size).toBe(1);
    expect(cache.check('slow', 14_001)).toEqual({ kind: 'new' });
    cache.check('after-a-silence', 60_000); // a long silence forgets both generations at once
    expect(cache.size).toBe(1);
  });
});
