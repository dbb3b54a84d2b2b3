import { describe, expect, it } from 'vitest';
import { LENGTH_VECTORS as VECTORS } from '@/test/routeros-length-vectors';
import {
  decodeLength,
  DEFAULT_DECODER_LIMITS,
  encodeLength,
  encodeSentence,
  FramingError,
  ReplyLimitError,
  SentenceDecoder,
} from './framing';
import { MAX_REPLY_BYTES, MAX_WORD_BYTES, MAX_WORDS_PER_SENTENCE } from './limits';
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

describe('decoder limits and cost', () => {
  const MiB = 1024 * 1024;
  const roomy = { ...DEFAULT_DECODER_LIMITS, maxWordBytes: 32 * MiB, maxSentenceBytes: 64 * MiB };

  function feed(decoder: SentenceDecoder, bytes: Buffer, chunkSize: number): string[][] {
    const out: string[][] = [];
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      out.push(...decoder.push(bytes.subarray(offset, offset + chunkSize)));
    }
    return out;
  }

  // Concatenating the pending bytes with every chunk copies O(n^2) bytes: 2 MiB in 1-byte chunks
  // would copy ~2 TB. Each byte must be copied at most once.
  it.each([
    [1, 2 * MiB],
    [64 * 1024, 16 * MiB],
  ])('copies each byte of a big word once when it comes in %i-byte chunks', (chunkSize, size) => {
    const word = `=v=${'x'.repeat(size - 3)}`;
    const bytes = encodeSentence(['!re', '.tag=1', word]);
    const decoder = new SentenceDecoder(roomy);
    const sentences = feed(decoder, bytes, chunkSize);
    expect(sentences).toHaveLength(1);
    expect(sentences[0][2] === word).toBe(true);
    expect(decoder.copiedBytes).toBeLessThanOrEqual(bytes.length);
  });

  it('decodes a 16 MiB word in 64 KiB chunks in about the time of one chunk', () => {
    const bytes = encodeSentence(['!re', `=v=${'y'.repeat(16 * MiB - 3)}`]);
    const time = (chunkSize: number) => {
      const started = performance.now();
      feed(new SentenceDecoder(roomy), bytes, chunkSize);
      return performance.now() - started;
    };
    time(bytes.length); // warm-up
    const whole = Math.min(time(bytes.length), time(bytes.length));
    const chunked = Math.min(time(64 * 1024), time(64 * 1024));
    // Linear: one extra copy, about 2x. Quadratic: ~2 GB copied, well over 20x.
    expect(chunked).toBeLessThan(whole * 8 + 30);
  });

  it('refuses a word over MAX_WORD_BYTES as soon as its length is announced, naming the tag', () => {
    const decoder = new SentenceDecoder();
    const head = Buffer.concat([
      encodeLength(3),
      Buffer.from('!re'),
      encodeLength(6),
      Buffer.from('.tag=9'),
      encodeLength(MAX_WORD_BYTES + 1),
    ]);
    const err = (() => {
      try {
        decoder.push(head);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ReplyLimitError);
    expect(err).toMatchObject({ tag: '9', what: 'a 1 MiB value (limit 1 MiB)' });
    expect(decoder.copiedBytes).toBe(0);
  });

  it('accepts a word of exactly MAX_WORD_BYTES', () => {
    const word = 'z'.repeat(MAX_WORD_BYTES);
    expect(feed(new SentenceDecoder(), encodeSentence(['!re', word]), 100_000)).toEqual([['!re', word]]);
  });

  it('refuses more than MAX_WORDS_PER_SENTENCE attributes in one row', () => {
    const words = Array.from({ length: MAX_WORDS_PER_SENTENCE }, (_, i) => `=a${i}=1`);
    expect(new SentenceDecoder().push(encodeSentence(words))).toHaveLength(1);
    expect(() => new SentenceDecoder().push(encodeSentence([...words, '=one=more']))).toThrow(
      `router sent more than ${MAX_WORDS_PER_SENTENCE} attributes in one row`,
    );
  });

  it('refuses a row larger than a whole reply may be', () => {
    const decoder = new SentenceDecoder();
    const word = Buffer.concat([encodeLength(MAX_WORD_BYTES), Buffer.alloc(MAX_WORD_BYTES, 0x61)]);
    let thrown: unknown = null;
    try {
      for (let i = 0; i <= MAX_REPLY_BYTES / MAX_WORD_BYTES; i++) decoder.push(word);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ReplyLimitError);
    expect((thrown as Error).message).toBe('router sent a row of more than 32 MiB');
  });

  it('reports sizes on the wire with each sentence', () => {
    const bytes = encodeSentence(['!re', '=name=x']);
    expect(new SentenceDecoder().decode(bytes)).toEqual([{ words: ['!re', '=name=x'], bytes: bytes.length }]);
  });
});

describe('pre-6.43 login challenge', () => {
  it('matches the reference vector', () => {
    expect(challengeResponse('passTest', 'abc123')).toBe('0021277bff9ac7caf06aa608e46616d47f');
  });
});
