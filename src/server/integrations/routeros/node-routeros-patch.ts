import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { RouterOSAPI } from 'node-routeros';
import { encodeSentence, ReplyLimitError, SentenceDecoder, type DecodedSentence } from './framing';
import { formatBytes, MAX_REPLY_BYTES, MAX_ROWS_PER_REPLY } from './limits';
import { cleanRouterText } from './router-text';
import { hasForbiddenCharacter } from './sendable';

// node-routeros 1.6.9 (discontinued) parses replies in a way that can take the whole process down:
// `!empty` (RouterOS >= 7.18) throws UNKNOWNREPLY and a reply on a tag nobody waits for throws
// UNREGISTEREDTAG, both inside the socket 'data' handler. Its parser also splits sentences on
// `!` words instead of the zero-length terminator, so a final 0x00 arriving alone stalls the last
// `!done`, and a `!fatal` reason is swallowed. Its login leaves a floating Promise.reject (an
// unhandled rejection) on an unexpected reply and sizes the MD5 challenge buffer in characters, not
// bytes. We keep node-routeros for sockets, TLS and tagged channels, and swap this one connection's
// parser, writer and login for ours. Its random command tags (`Math.random()`) could collide between two
// commands in flight on one connection, so tags come from a per-connection counter instead.

const REPLY_WORDS = new Set(['!re', '!done', '!trap', '!fatal', '!empty']);

interface TagReader {
  callback: (packet: string[]) => void;
}

interface ConnectorInternals extends EventEmitter {
  socket: Socket;
  receiver: { tags: Map<string, TagReader>; processRawData(data: Buffer): void };
  transmitter: { pool: Buffer[] };
  write(words: string[]): unknown;
}

interface ChannelInternals {
  id: string;
}

export interface ApiInternals {
  connector?: ConnectorInternals;
  openChannel?: () => ChannelInternals;
  connectionHoldInterval?: NodeJS.Timeout;
  keptaliveby?: NodeJS.Timeout;
}

export interface PatchHooks {
  /** Runs instead of node-routeros' login once TCP (and TLS) is up. */
  login(): Promise<void>;
  /** The router announced it is closing the session. */
  onFatal(reason: string): void;
  /** Bytes that are not RouterOS API sentences (wrong service on the port, corruption). */
  onUnreadable(detail: string): void;
  /**
   * The router sent more than limits.ts allows. `connection`: the stream itself is over a limit and
   * the connection is dead. `command`: one reply is; that command fails, the session goes on.
   */
  onTooMuch(scope: 'command' | 'connection', tag: string | null, what: string): void;
}

export interface PatchedConnection {
  socket: Socket;
  /** `api.write` registers its tag and sends synchronously, so right after it returns, this is that command's tag. */
  lastTag(): string | null;
}

/** Tags for one connection: never repeated, so no two commands in flight can share one. */
export function createTagSource(): () => string {
  let next = 0;
  return () => String(++next);
}

/** Call right after `api.connect()`: the connector exists, no byte has been read or written yet. */
export function patchConnection(api: RouterOSAPI, hooks: PatchHooks): PatchedConnection {
  const internals = api as unknown as ApiInternals;
  const connector = internals.connector;
  if (
    !connector?.socket ||
    !(connector.receiver?.tags instanceof Map) ||
    !Array.isArray(connector.transmitter?.pool) ||
    typeof internals.openChannel !== 'function'
  ) {
    connector?.socket?.destroy();
    throw new Error('node-routeros internals are not what node-routeros-patch.ts expects (was the package upgraded?)');
  }
  const { socket, receiver, transmitter } = connector;
  (api as unknown as { login(): Promise<void> }).login = hooks.login;
  const decoder = new SentenceDecoder();
  let dead = false;

  const nextTag = createTagSource();
  let lastTag: string | null = null;
  const openChannel = internals.openChannel.bind(api);
  internals.openChannel = () => {
    const channel = openChannel();
    channel.id = nextTag();
    lastTag = channel.id;
    return channel;
  };

  // Rows and bytes received so far per tag, for the per-reply limits.
  const replies = new Map<string, { rows: number; bytes: number }>();

  const overLimit = (tag: string, reply: string, bytes: number): string | null => {
    const seen = replies.get(tag) ?? { rows: 0, bytes: 0 };
    replies.set(tag, seen);
    if (reply === '!re') seen.rows++;
    seen.bytes += bytes;
    if (seen.rows > MAX_ROWS_PER_REPLY) return `more than ${MAX_ROWS_PER_REPLY} rows`;
    if (seen.bytes > MAX_REPLY_BYTES) return `more than ${formatBytes(MAX_REPLY_BYTES)}`;
    return null;
  };

  const deliver = ({ words, bytes }: DecodedSentence): void => {
    const [reply, ...rest] = words;
    if (!REPLY_WORDS.has(reply)) {
      throw new Error(`unexpected reply word "${cleanRouterText(reply, 24)}"`);
    }
    let tag: string | null = null;
    const attributes: string[] = [];
    for (const word of rest) {
      if (word.startsWith('.tag=')) tag = word.slice(5);
      else attributes.push(word);
    }
    if (reply === '!fatal') {
      dead = true;
      hooks.onFatal(fatalReason(attributes));
      return;
    }
    // `!empty` means "no rows"; the `!done` that follows completes the command.
    if (reply === '!empty') return;
    // node-routeros tags every command, so an untagged reply or an unknown tag belongs to a
    // command we already gave up on: drop it instead of throwing.
    const reader = tag === null ? undefined : receiver.tags.get(tag);
    if (!reader || tag === null) return;
    const excess = overLimit(tag, reply, bytes);
    if (excess !== null) {
      replies.delete(tag);
      hooks.onTooMuch('command', tag, excess);
      // Ends node-routeros' channel (its promise rejects, its tag is released); later rows of this
      // reply then have no reader and are dropped as they arrive.
      reader.callback(['!trap', `=message=${excess}`]);
      reader.callback(['!done']);
      return;
    }
    if (reply === '!done') replies.delete(tag);
    reader.callback([reply, ...attributes]);
  };

  receiver.processRawData = (data: Buffer): void => {
    if (dead) return;
    try {
      for (const sentence of decoder.decode(data)) {
        deliver(sentence);
        if (dead) return;
      }
    } catch (err) {
      dead = true;
      if (err instanceof ReplyLimitError) hooks.onTooMuch('connection', err.tag, err.what);
      else hooks.onUnreadable(err instanceof Error ? err.message : String(err));
    }
  };

  // Connector.destroy() removes every listener of the connector, yet the socket keeps forwarding
  // errors to it: a TLS socket that sees FIN before its handshake emits 'end' (destroy) and then
  // 'error', and an 'error' emitted without listener throws out of the socket's handler.
  const emit = connector.emit.bind(connector);
  connector.emit = (event: string | symbol, ...args: unknown[]): boolean =>
    event === 'error' && connector.listenerCount('error') === 0 ? false : emit(event, ...args);

  // One write per sentence, and no debug log of the words: the login sentence carries the password.
  connector.write = (words: string[]) => {
    // client.ts refuses these with a precise message first; this keeps any other path from sending one.
    if (words.some(hasForbiddenCharacter)) throw new Error('refusing to send a word containing CR, LF or NUL');
    const bytes = encodeSentence(words);
    if (!socket.writable || transmitter.pool.length > 0) transmitter.pool.push(bytes);
    else socket.write(bytes);
    return connector;
  };

  return { socket, lastTag: () => lastTag };
}

function fatalReason(words: string[]): string {
  const text = words.map((w) => (w.startsWith('=message=') ? w.slice('=message='.length) : w)).join(' ');
  return text.trim() || 'no reason given';
}

/** node-routeros arms keepalive timers while commands are open; they would outlive a destroyed socket. */
export function clearApiTimers(api: RouterOSAPI): void {
  const internals = api as unknown as ApiInternals;
  if (internals.connectionHoldInterval) clearTimeout(internals.connectionHoldInterval);
  if (internals.keptaliveby) clearTimeout(internals.keptaliveby);
}
