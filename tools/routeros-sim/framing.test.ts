import { describe, expect, it } from 'vitest';
import { LENGTH_VECTORS as VECTORS } from '../../src/test/routeros-length-vectors';
import { encodeWords, lengthPrefix, SentenceReader, SimFramingError } from './framing';
import { challengeResponse } from './session';

describe('sim framing', () => {
  it.each(VECTORS)('encodes length %i as %s', (length, hex) => {
    expect(lengthPrefix(length).toString('hex')).toBe(hex);
  });

  it.each(VECTORS.filter(([length]) => length < 1 << 20))('decodes a word of length %i fed in uneven chunks', (length) => {
    const word = 'x'.repeat(length);
    const bytes = encodeWords([word]);
    const reader = new SentenceReader();
    const out: string[][] = [];
    for (let i = 0; i < bytes.length; i += 1 + (i % 7000)) out.push(...reader.feed(bytes.subarray(i, i + 1 + (i % 7000))));
    expect(out).toEqual([[word]]);
  });

  it('reads the 5-byte prefix without trusting the marker bits', () => {
    const reader = new SentenceReader();
    // A 5-byte prefix announcing 2 bytes is legal, if odd.
    expect(reader.feed(Buffer.from('f00000000241420161', 'hex'))).toEqual([]);
    expect(reader.feed(Buffer.from('00', 'hex'))).toEqual([['AB', 'a']]);
  });

  it('skips empty sentences and keeps several sentences of one chunk apart', () => {
    const bytes = Buffer.concat([Buffer.of(0), encodeWords(['/login', '=name=a']), Buffer.of(0), encodeWords(['/quit'])]);
    expect(new SentenceReader().feed(bytes)).toEqual([['/login', '=name=a'], ['/quit']]);
  });

  it('refuses control bytes where a length belongs', () => {
    expect(() => new SentenceReader().feed(Buffer.of(0xf8))).toThrow(SimFramingError);
  });

  it('computes the pre-6.43 MD5 challenge response of the reference vector', () => {
    expect(challengeResponse('passTest', 'abc123')).toBe('0021277bff9ac7caf06aa608e46616d47f');
  });
});
