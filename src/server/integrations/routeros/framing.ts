// RouterOS API framing: a word is a length prefix plus bytes, a sentence ends with a zero-length word.
// Words are read and written as UTF-8; RouterOS itself stores raw bytes.
import { formatBytes, MAX_REPLY_BYTES, MAX_WORD_BYTES, MAX_WORDS_PER_SENTENCE } from './limits';

export class FramingError extends Error {}

/** The router sent more than a limit allows. `tag` is the sentence's `.tag` when it came before the excess. */
export class ReplyLimitError extends FramingError {
  constructor(
    readonly what: string,
    readonly tag: string | null,
  ) {
    super(`router sent ${what}`);
  }
}

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

export interface DecoderLimits {
  maxWordBytes: number;
  maxWordsPerSentence: number;
  /** A sentence belongs to one reply, so no sentence may be larger than a whole reply. */
  maxSentenceBytes: number;
}

export const DEFAULT_DECODER_LIMITS: DecoderLimits = {
  maxWordBytes: MAX_WORD_BYTES,
  maxWordsPerSentence: MAX_WORDS_PER_SENTENCE,
  maxSentenceBytes: MAX_REPLY_BYTES,
};

export interface DecodedSentence {
  words: string[];
  /** Bytes on the wire, prefixes and terminator included. */
  bytes: number;
}

/**
 * Incremental decoder: feed it TCP chunks as they come, it returns every sentence completed so far.
 * Each byte is copied at most once, however the stream is cut: a word that fits in its chunk is read
 * in place, a word split across chunks is copied piece by piece into a buffer of its announced size
 * (bounded by maxWordBytes), never re-concatenated per chunk.
 */
export class SentenceDecoder {
  /** Bytes copied to assemble words split across chunks; tests use it to prove decoding stays linear. */
  copiedBytes = 0;
  private prefix: number[] = [];
  private body: Buffer | null = null;
  private bodyFilled = 0;
  private words: string[] = [];
  private sentenceBytes = 0;
  private tag: string | null = null;

  constructor(private readonly limits: DecoderLimits = DEFAULT_DECODER_LIMITS) {}

  push(chunk: Buffer): string[][] {
    return this.decode(chunk).map((s) => s.words);
  }

  decode(chunk: Buffer): DecodedSentence[] {
    const sentences: DecodedSentence[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.body) {
        const take = Math.min(this.body.length - this.bodyFilled, chunk.length - i);
        chunk.copy(this.body, this.bodyFilled, i, i + take);
        this.copiedBytes += take;
        this.bodyFilled += take;
        i += take;
        if (this.bodyFilled === this.body.length) {
          this.addWord(this.body.toString('utf8'));
          this.body = null;
        }
        continue;
      }

      let prefix: [number, number] | null;
      if (this.prefix.length === 0) {
        prefix = decodeLength(chunk, i);
        if (!prefix) {
          // At most 4 bytes of a prefix are left in this chunk; keep them for the next one.
          while (i < chunk.length) this.prefix.push(chunk[i++]);
          break;
        }
        i += prefix[0];
      } else {
        this.prefix.push(chunk[i++]);
        prefix = decodeLength(Buffer.from(this.prefix));
        if (!prefix) continue;
        this.prefix = [];
      }

      const [prefixBytes, length] = prefix;
      this.sentenceBytes += prefixBytes;
      if (length === 0) {
        // Empty sentences carry nothing and are skipped, as RouterOS does.
        if (this.words.length > 0) sentences.push({ words: this.words, bytes: this.sentenceBytes });
        this.words = [];
        this.sentenceBytes = 0;
        this.tag = null;
        continue;
      }
      this.checkLimits(length);
      this.sentenceBytes += length;
      if (chunk.length - i >= length) {
        this.addWord(chunk.toString('utf8', i, i + length));
        i += length;
      } else {
        this.body = Buffer.alloc(length);
        this.bodyFilled = 0;
      }
    }
    return sentences;
  }

  private checkLimits(length: number): void {
    const { maxWordBytes, maxWordsPerSentence, maxSentenceBytes } = this.limits;
    if (length > maxWordBytes) {
      throw new ReplyLimitError(`a ${formatBytes(length)} value (limit ${formatBytes(maxWordBytes)})`, this.tag);
    }
    if (this.words.length >= maxWordsPerSentence) {
      throw new ReplyLimitError(`more than ${maxWordsPerSentence} attributes in one row`, this.tag);
    }
    if (this.sentenceBytes + length > maxSentenceBytes) {
      throw new ReplyLimitError(`a row of more than ${formatBytes(maxSentenceBytes)}`, this.tag);
    }
  }

  private addWord(word: string): void {
    if (this.tag === null && word.startsWith('.tag=')) this.tag = word.slice(5);
    this.words.push(word);
  }
}
