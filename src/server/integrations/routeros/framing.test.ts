import { describe, expect, it } from 'vitest';
import { LENGTH_VECTORS as VECTORS } from '@/test/routeros-length-vectors';
import { decodeLength, encodeLength, encodeSentence, FramingError, SentenceDecoder } from './framing';
import { challengeResponse } from './login';

describe('RouterOS API framing', () => {
  it.each(VECTORS)('encodes length %i as %s', (length, hex) => {
    expect(encodeLength(length).toString('hex')).toBe(hex);
  });

  it.each(VECTORS)('decodes length %i from %s', (length, hex) => {
    expect(decodeLength(Buffer.from(hex, 'hex'))).toEqual([hex.length / 2, length]);
  });

  it('waits for a prefix split across chunks', () => {
    expect(decodeLength(Buffer.from('c043', 'hex'))).toBeNull();
    const decoder = new SentenceDecoder();
    const bytes = encodeSentence(['!re', `=comment=${'x'.repeat(0x4321)}`, '.tag=7']);
    const sentences: string[][] = [];
    let offset = 0;
    for (const size of [1, 2, 1, 2, 1]) {
      sentences.push(...decoder.push(bytes.subarray(offset, offset + size)));
      offset += size;
    }
    for (; offset < bytes.length - 1; offset += 997) {
      sentences.push(...decoder.push(bytes.subarray(offset, Math.min(offset + 997, bytes.length - 1))));
    }
    expect(sentences).toEqual([]);
    // The terminator alone completes the sentence: no waiting for more traffic.
    expect(decoder.push(bytes.subarray(bytes.length - 1))).toEqual([['!re', `=comment=${'x'.repeat(0x4321)}`, '.tag=7']]);
  });

  it('keeps words that contain 0x00 bytes and prefixes with 0x00 intact', () => {
    const word = `=x=${'a'.repeat(0x100 - 3)}`; // prefix 81 00
    const decoder = new SentenceDecoder();
    expect(decoder.push(encodeSentence(['!re', word]))).toEqual([['!re', word]]);
  });

  it('skips empty sentences', () => {
    const bytes = Buffer.concat([Buffer.of(0, 0), encodeSentence(['!done'])]);
    expect(new SentenceDecoder().push(bytes)).toEqual([['!done']]);
  });

  it('rejects control bytes and absurd word lengths', () => {
    expect(() => new SentenceDecoder().push(Buffer.of(0xf8))).toThrow(FramingError);
    expect(() => new SentenceDecoder().push(Buffer.from('efffffff', 'hex'))).toThrow(FramingError);
  });
});

describe('pre-6.43 login challenge', () => {
  it('matches the reference vector', () => {
    expect(challengeResponse('passTest', 'abc123')).toBe('0021277bff9ac7caf06aa608e46616d47f');
  });
});
