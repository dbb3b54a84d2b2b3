import net from 'node:net';
import tls from 'node:tls';
// The panel's own codec, independent of the simulator's: every sim test cross-checks both.
import { encodeSentence, SentenceDecoder } from '../../src/server/integrations/routeros/framing';

/** A bare API client for protocol tests: sends sentences, records every chunk and sentence received. */
export class RawApiClient {
  readonly chunks: Buffer[] = [];
  readonly sentences: string[][] = [];
  closed = false;
  error: NodeJS.ErrnoException | null = null;
  private decoder = new SentenceDecoder();
  private waiters: (() => void)[] = [];
  private read = 0;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      try {
        this.sentences.push(...this.decoder.push(chunk));
      } catch {
        // Garbage tests look at the raw chunks; nothing after bad framing can be decoded.
        this.decoder = new SentenceDecoder();
      }
      this.wake();
    });
    socket.on('error', (err) => {
      this.error = err;
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(host: string, port: number, useTls = false): Promise<RawApiClient> {
    return new Promise((resolve, reject) => {
      const socket = useTls
        ? tls.connect({ host, port, rejectUnauthorized: false }, () => resolve(new RawApiClient(socket)))
        : net.connect(port, host, () => resolve(new RawApiClient(socket)));
      socket.once('error', reject);
    });
  }

  send(...words: string[]): void {
    this.socket.write(encodeSentence(words));
  }

  /** Next sentence not yet consumed; rejects when the connection closes first or after `ms`. */
  async next(ms = 2000): Promise<string[]> {
    const deadline = Date.now() + ms;
    while (this.read >= this.sentences.length) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no sentence in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.sentences[this.read++];
  }

  /** Sentences up to and including the `!done` that carries `tag` (or any `!done` when untagged). */
  async untilDone(tag: string | null = null, ms = 2000): Promise<string[][]> {
    const out: string[][] = [];
    for (;;) {
      const sentence = await this.next(ms);
      out.push(sentence);
      if (sentence[0] === '!done' && (tag === null || sentence.includes(`.tag=${tag}`))) return out;
    }
  }

  async login(username: string, password: string): Promise<void> {
    this.send('/login', `=name=${username}`, `=password=${password}`);
    const reply = await this.untilDone();
    if (reply[0][0] !== '!done') throw new Error(`login failed: ${JSON.stringify(reply)}`);
  }

  waitClosed(ms = 2000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve();
      const timer = setTimeout(() => reject(new Error('still open')), ms);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
