import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import { runCommand, type SimRequest, type StreamStep } from './commands';
import { encodeSentences, SentenceReader, SimFramingError } from './framing';
import { applyProplist, type Row } from './query';
import type { RouterState } from './state';

/** `00` + hex(md5(0x00 + password + challenge)), the pre-6.43 login response. */
export function challengeResponse(password: string, challengeHex: string): string {
  const md5 = createHash('md5');
  md5.update(Buffer.of(0));
  md5.update(password, 'utf8');
  md5.update(Buffer.from(challengeHex, 'hex'));
  return `00${md5.digest('hex')}`;
}

function parseRequest(words: string[]): SimRequest & { tag: string | null } {
  const [command, ...rest] = words;
  const attrs = new Map<string, string>();
  const queries: string[] = [];
  let tag: string | null = null;
  for (const word of rest) {
    if (word.startsWith('.tag=')) tag = word.slice(5);
    else if (word.startsWith('?')) queries.push(word);
    else if (word.startsWith('=')) {
      const eq = word.indexOf('=', 1);
      if (eq < 0) attrs.set(word.slice(1), '');
      else attrs.set(word.slice(1, eq), word.slice(eq + 1));
    }
  }
  return { command, attrs, queries, tag };
}

function rowWords(row: Row): string[] {
  return Object.entries(row).map(([k, v]) => `=${k}=${v}`);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface RunningStream {
  tag: string | null;
  timer: NodeJS.Timeout | null;
}

/**
 * One API connection. `io` carries the bytes (TLS or plain); `raw` is the TCP socket underneath,
 * needed to send an RST.
 */
export class ApiSession {
  private readonly reader = new SentenceReader();
  private loggedIn = false;
  private challenge: string | null = null;
  private readonly streams = new Map<string, RunningStream>();
  /** Writes wait here only while a fault delays them; the healthy path writes directly. */
  private queue: Promise<void> | null = null;
  private queued = 0;
  private closed = false;

  constructor(
    private readonly state: RouterState,
    private readonly io: Socket,
    private readonly raw: Socket,
  ) {}

  onData(chunk: Buffer): void {
    if (this.closed || this.state.fault === 'silent') return;
    let sentences: string[][];
    try {
      sentences = this.reader.feed(chunk);
    } catch (err) {
      // A real router drops a client that sends something other than API sentences.
      if (err instanceof SimFramingError) this.end();
      return;
    }
    for (const words of sentences) {
      if (this.closed) return;
      this.handle(words);
    }
  }

  dispose(): void {
    this.closed = true;
    for (const stream of this.streams.values()) if (stream.timer) clearTimeout(stream.timer);
    this.streams.clear();
  }

  private handle(words: string[]): void {
    const fault = this.state.fault;
    if (fault === 'silent') return;
    if (fault === 'fatal') return this.fatal('too many sessions (simulated fault)');
    if (fault === 'garbage') return this.writeOut(garbage(), false);

    const req = parseRequest(words);
    this.state.logCommand(req.command);
    if (req.command === '/quit') return this.fatal('session terminated on request');
    if (req.command === '/login') return this.login(req);
    if (!this.loggedIn) return this.fatal('not logged in');
    if (req.command === '/cancel') return this.cancel(req);

    const outcome = runCommand(req, this.state);
    const t = req.tag;
    if (outcome.kind === 'traps') return this.sendTraps(t, outcome.traps);
    if (outcome.kind === 'stream') return this.startStream(t, outcome.steps, req.attrs.get('.proplist'));
    const sentences = outcome.rows.map((row) => this.sentence('!re', t, rowWords(row)));
    if (outcome.listing && outcome.rows.length === 0 && this.state.emptyReplies) {
      sentences.push(this.sentence('!empty', t));
    }
    sentences.push(this.sentence('!done', t, outcome.done ? rowWords(outcome.done) : []));
    this.send(sentences);
  }

  private login(req: SimRequest & { tag: string | null }): void {
    const { state } = this;
    const name = req.attrs.get('name');
    if (state.loginMode === 'challenge') {
      const response = req.attrs.get('response');
      if (response === undefined) {
        // Pre-6.43 routers ignore a password sent in clear and hand out a challenge.
        this.challenge = randomBytes(16).toString('hex');
        return this.send([this.sentence('!done', req.tag, [`=ret=${this.challenge}`])]);
      }
      const expected = this.challenge === null ? null : challengeResponse(state.password, this.challenge);
      this.challenge = null;
      if (name === state.username && response === expected) return this.acceptLogin(req.tag);
      return this.sendTraps(req.tag, [{ message: 'cannot log in' }]);
    }
    if (name === state.username && req.attrs.get('password') === state.password) return this.acceptLogin(req.tag);
    this.sendTraps(req.tag, [{ message: 'invalid user name or password (6)' }]);
  }

  private acceptLogin(tag: string | null): void {
    this.send([this.sentence('!done', tag)]);
    this.loggedIn = true;
  }

  private cancel(req: SimRequest & { tag: string | null }): void {
    const target = req.attrs.get('tag');
    const keys = target === undefined ? [...this.streams.keys()] : [target];
    const cancelled: RunningStream[] = [];
    for (const key of keys) {
      const stream = this.streams.get(key);
      if (!stream) continue;
      if (stream.timer) clearTimeout(stream.timer);
      this.streams.delete(key);
      cancelled.push(stream);
    }
    this.send([
      ...cancelled.map((s) => this.sentence('!trap', s.tag, ['=category=2', '=message=interrupted'])),
      this.sentence('!done', req.tag),
      ...cancelled.map((s) => this.sentence('!done', s.tag)),
    ]);
  }

  private startStream(tag: string | null, steps: Iterator<StreamStep>, proplistText: string | undefined): void {
    const key = tag ?? '';
    const proplist = proplistText?.split(',').filter(Boolean) ?? null;
    const stream: RunningStream = { tag, timer: null };
    const old = this.streams.get(key);
    if (old?.timer) clearTimeout(old.timer);
    this.streams.set(key, stream);
    const next = () => {
      const step = steps.next();
      if (step.done) {
        this.streams.delete(key);
        this.send([this.sentence('!done', tag)]);
        return;
      }
      stream.timer = setTimeout(() => {
        if (this.streams.get(key) !== stream || this.closed) return;
        // Fault modes switched mid-stream apply to it: a silent router sends nothing more, a garbling one garbles.
        if (this.state.fault === 'garbage') return this.writeOut(garbage(), false);
        if (this.state.fault !== 'silent') this.send([this.sentence('!re', tag, rowWords(applyProplist(step.value.row, proplist)))]);
        next();
      }, step.value.delayMs);
    };
    next();
  }

  private sendTraps(tag: string | null, traps: { message: string; category?: number }[]): void {
    const sentences = traps.map((t) =>
      this.sentence('!trap', tag, [...(t.category === undefined ? [] : [`=category=${t.category}`]), `=message=${t.message}`]),
    );
    sentences.push(this.sentence('!done', tag));
    this.send(sentences);
  }

  /** Real captures put `.tag` right after the reply word. */
  private sentence(reply: string, tag: string | null, words: string[] = []): string[] {
    return tag === null ? [reply, ...words] : [reply, `.tag=${tag}`, ...words];
  }

  private fatal(reason: string): void {
    this.writeOut(encodeSentences([['!fatal', reason]]), false, () => this.end());
    this.closed = true;
  }

  private send(sentences: string[][]): void {
    // Only command replies are cut by the `reset` fault: login still works, so the reset lands mid-command.
    this.writeOut(encodeSentences(sentences), this.loggedIn);
  }

  /** Whole reply in one write unless a fault says otherwise; order is kept across delayed writes. */
  private writeOut(bytes: Buffer, resettable: boolean, then?: () => void): void {
    const fault = this.state.fault;
    const needsQueue = fault === 'slow' || fault === 'fragment' || (fault === 'reset' && resettable);
    if (!needsQueue && this.queued === 0) {
      if (!this.io.destroyed) this.io.write(bytes);
      then?.();
      return;
    }
    this.queued++;
    const work = async () => {
      if (fault === 'slow') await delay(this.state.slowMs);
      if (this.io.destroyed) return;
      if (fault === 'reset' && resettable) return this.resetMidReply(bytes);
      if (fault === 'fragment') await this.writeFragmented(bytes);
      else this.io.write(bytes);
      then?.();
    };
    this.queue = (this.queue ?? Promise.resolve()).then(work).finally(() => {
      this.queued--;
    });
  }

  private async resetMidReply(bytes: Buffer): Promise<void> {
    this.closed = true;
    await new Promise<void>((resolve) => this.io.write(bytes.subarray(0, Math.max(1, bytes.length >> 1)), () => resolve()));
    // Let the half reply reach the client before the RST discards whatever is still queued.
    await delay(10);
    if (!this.raw.destroyed) this.raw.resetAndDestroy();
  }

  /** Tiny chunks with pauses, the final 0x00 alone: what a congested or odd TCP stack can deliver. */
  private async writeFragmented(bytes: Buffer): Promise<void> {
    let offset = 0;
    while (offset < bytes.length - 1 && !this.io.destroyed) {
      const size = Math.min(1 + (offset % 3), bytes.length - 1 - offset);
      this.io.write(bytes.subarray(offset, offset + size));
      offset += size;
      await delay(1);
    }
    if (!this.io.destroyed) this.io.write(bytes.subarray(bytes.length - 1));
  }

  private end(): void {
    this.closed = true;
    if (!this.io.destroyed) this.io.end();
  }
}

/** Starts with a control byte no length prefix may use, then noise. */
function garbage(): Buffer {
  return Buffer.concat([Buffer.of(0xf8 + randomInt(8)), randomBytes(16 + randomInt(48))]);
}
