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

  it('keys a request by address, port, identifier and authenticator: any of them differing is another request', () => {
    const auth = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const other = Buffer.from('00112233445566778899aabbccddeefe', 'hex');
    const base = DuplicateCache.key('127.0.100.1', 40000, 7, auth);
    expect(DuplicateCache.key('127.0.100.1', 40000, 7, Buffer.from(auth))).toBe(base);
    const variants = [
      DuplicateCache.key('127.0.100.10', 40000, 7, auth),
      DuplicateCache.key('127.0.100.1', 40001, 7, auth),
      DuplicateCache.key('127.0.100.1', 40000, 8, auth),
      DuplicateCache.key('127.0.100.1', 40000, 7, other),
      DuplicateCache.key('2001:db8::1', 40000, 7, auth),
      DuplicateCache.key('2001:db8::10', 40000, 7, auth),
    ];
    expect(new Set([base, ...variants]).size).toBe(7);
    const cache = new DuplicateCache(5000);
    cache.check(base, 0);
    cache.settle(base, Buffer.from('r'), 1);
    for (const k of variants) expect(cache.check(k, 2)).toEqual({ kind: 'new' });
    expect(cache.check(DuplicateCache.key('127.0.100.1', 40000, 7, Buffer.from(auth)), 3)).toEqual({
      kind: 'replied',
      reply: Buffer.from('r'),
    });
  });

  it('keeps thousands of replies of every size across arenas, each its own', () => {
    const cache = new DuplicateCache(5000);
    const reply = (i: number) => Buffer.alloc(20 + (i % 4077), i % 251);
    for (let i = 0; i < 3000; i++) {
      cache.check(`k${i}`, 100);
      cache.settle(`k${i}`, reply(i), 100);
    }
    for (let i = 0; i < 3000; i++) expect(cache.check(`k${i}`, 200)).toEqual({ kind: 'replied', reply: reply(i) });
  });
});
