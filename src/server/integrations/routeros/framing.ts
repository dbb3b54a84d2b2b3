// RouterOS API framing: a word is a length prefix plus bytes, a sentence ends with a zero-length word.
// Words are read and written as UTF-8; RouterOS itself stores raw bytes.

/** A router can declare any length; refusing absurd ones keeps a garbage stream from buffering forever. */
export const MAX_WORD_BYTES = 16 * 1024 * 1024;

export class FramingError extends Error {}

export function encodeLength(length: number): Buffer {
  if (length < 0 || !Number.isInteger(length)) throw new RangeError(`invalid word length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) return Buffer.from([(length >>> 8) | 0x80, length & 0xff]);
  if (length < 0x200000) return Buffer.from([(length >>> 16) | 0xc0, (length >>> 8) & 0xff, length & 0xff]);
  if (length < 0x10000000) {
    return Buffer.from([(length >>> 24) | 0xe0, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]);
  }
  const out = Buffer.alloc(5);
  out[0] = 0xf0;
  out.writeUInt32BE(length, 1);
  return out;
}

export function encodeSentence(words: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const word of words) {
    const bytes = Buffer.from(word, 'utf8');
    parts.push(encodeLength(bytes.length), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** Returns [prefixBytes, length], or null when the prefix is not complete yet. */
export function decodeLength(buf: Buffer, offset = 0): [number, number] | null {
  if (offset >= buf.length) return null;
  const first = buf[offset];
  let size: number;
  if ((first & 0x80) === 0x00) size = 1;
  else if ((first & 0xc0) === 0x80) size = 2;
  else if ((first & 0xe0) === 0xc0) size = 3;
  else if ((first & 0xf0) === 0xe0) size = 4;
  else if (first === 0xf0) size = 5;
  else throw new FramingError(`invalid length prefix 0x${first.toString(16)}`);
  if (offset + size > buf.length) return null;
  switch (size) {
    case 1:
      return [1, first];
    case 2:
      return [2, buf.readUInt16BE(offset) & 0x3fff];
    case 3:
      return [3, ((first & 0x1f) << 16) | buf.readUInt16BE(offset + 1)];
    case 4:
      return [4, buf.readUInt32BE(offset) & 0x0fffffff];
    default:
      return [5, buf.readUInt32BE(offset + 1)];
  }
}

/** Incremental decoder: feed it TCP chunks as they come, it returns every sentence completed so far. */
export class SentenceDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private words: string[] = [];

  push(chunk: Buffer): string[][] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const sentences: string[][] = [];
    let offset = 0;
    for (;;) {
      const prefix = decodeLength(this.pending, offset);
      if (!prefix) break;
      const [prefixBytes, length] = prefix;
      if (length > MAX_WORD_BYTES) throw new FramingError(`word of ${length} bytes announced`);
      if (offset + prefixBytes + length > this.pending.length) break;
      const start = offset + prefixBytes;
      offset = start + length;
      if (length === 0) {
        // Empty sentences carry nothing and are skipped, as RouterOS does.
        if (this.words.length > 0) sentences.push(this.words);
        this.words = [];
      } else {
        this.words.push(this.pending.toString('utf8', start, offset));
      }
    }
    this.pending = this.pending.subarray(offset);
    return sentences;
  }
}
