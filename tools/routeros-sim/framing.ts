// RouterOS API framing, written independently of the client's codec so that each checks the other.

export class SimFramingError extends Error {}

/** Bytes used by the length prefix and the marker bits of its first byte. */
function prefixShape(length: number): { bytes: number; marker: number } {
  if (length <= 0x7f) return { bytes: 1, marker: 0x00 };
  if (length <= 0x3fff) return { bytes: 2, marker: 0x80 };
  if (length <= 0x1fffff) return { bytes: 3, marker: 0xc0 };
  if (length <= 0xfffffff) return { bytes: 4, marker: 0xe0 };
  return { bytes: 5, marker: 0xf0 };
}

export function lengthPrefix(length: number): Buffer {
  const { bytes, marker } = prefixShape(length);
  const out = Buffer.alloc(bytes);
  // The 5-byte form keeps the marker byte whole and puts all 32 bits after it.
  const valueBytes = bytes === 5 ? 4 : bytes;
  let rest = length;
  for (let i = bytes - 1; i >= bytes - valueBytes; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  out[0] |= marker;
  return out;
}

export function encodeWords(words: readonly string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const word of words) {
    const body = Buffer.from(word, 'utf8');
    chunks.push(lengthPrefix(body.length), body);
  }
  chunks.push(Buffer.alloc(1));
  return Buffer.concat(chunks);
}

export function encodeSentences(sentences: readonly (readonly string[])[]): Buffer {
  return Buffer.concat(sentences.map(encodeWords));
}

const MAX_WORD = 1 << 20;

/**
 * Byte-at-a-time state machine for the prefix, bulk copy for the body: cheap to reason about
 * with arbitrary TCP chunking, including a prefix split across chunks.
 */
export class SentenceReader {
  private prefix: number[] = [];
  private prefixNeeded = 0;
  private body: Buffer | null = null;
  private bodyFilled = 0;
  private words: string[] = [];

  feed(chunk: Buffer): string[][] {
    const done: string[][] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.body) {
        const take = Math.min(this.body.length - this.bodyFilled, chunk.length - i);
        chunk.copy(this.body, this.bodyFilled, i, i + take);
        this.bodyFilled += take;
        i += take;
        if (this.bodyFilled === this.body.length) {
          this.words.push(this.body.toString('utf8'));
          this.body = null;
        }
        continue;
      }
      const byte = chunk[i++];
      if (this.prefix.length === 0) {
        if (byte < 0x80) this.prefixNeeded = 1;
        else if (byte < 0xc0) this.prefixNeeded = 2;
        else if (byte < 0xe0) this.prefixNeeded = 3;
        else if (byte < 0xf0) this.prefixNeeded = 4;
        else if (byte === 0xf0) this.prefixNeeded = 5;
        else throw new SimFramingError(`control byte 0x${byte.toString(16)} where a length was expected`);
      }
      this.prefix.push(byte);
      if (this.prefix.length < this.prefixNeeded) continue;
      const length = this.prefixValue();
      this.prefix = [];
      if (length === 0) {
        if (this.words.length > 0) done.push(this.words);
        this.words = [];
      } else if (length > MAX_WORD) {
        throw new SimFramingError(`word of ${length} bytes is larger than any API request`);
      } else {
        this.body = Buffer.alloc(length);
        this.bodyFilled = 0;
      }
    }
    return done;
  }

  private prefixValue(): number {
    const [first, ...rest] = this.prefix;
    const masks = [0x7f, 0x3f, 0x1f, 0x0f, 0x00];
    let value = first & masks[this.prefixNeeded - 1];
    for (const b of rest) value = value * 256 + b;
    return value;
  }
}
