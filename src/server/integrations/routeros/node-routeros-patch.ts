import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { RouterOSAPI } from 'node-routeros';
import { encodeSentence, SentenceDecoder } from './framing';

// node-routeros 1.6.9 (discontinued) parses replies in a way that can take the whole process down:
// `!empty` (RouterOS >= 7.18) throws UNKNOWNREPLY and a reply on a tag nobody waits for throws
// UNREGISTEREDTAG, both inside the socket 'data' handler. Its parser also splits sentences on
// `!` words instead of the zero-length terminator, so a final 0x00 arriving alone stalls the last
// `!done`, and a `!fatal` reason is swallowed. Its login leaves a floating Promise.reject (an
// unhandled rejection) on an unexpected reply and sizes the MD5 challenge buffer in characters, not
// bytes. We keep node-routeros for sockets, TLS and tagged channels, and swap this one connection's
// parser, writer and login for ours.

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

export interface ApiInternals {
  connector?: ConnectorInternals;
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
}

/** Call right after `api.connect()`: the connector exists, no byte has been read or written yet. */
export function patchConnection(api: RouterOSAPI, hooks: PatchHooks): Socket {
  const connector = (api as unknown as ApiInternals).connector;
  if (
    !connector?.socket ||
    !(connector.receiver?.tags instanceof Map) ||
    !Array.isArray(connector.transmitter?.pool)
  ) {
    connector?.socket?.destroy();
    throw new Error('node-routeros internals are not what node-routeros-patch.ts expects (was the package upgraded?)');
  }
  const { socket, receiver, transmitter } = connector;
  (api as unknown as { login(): Promise<void> }).login = hooks.login;
  const decoder = new SentenceDecoder();
  let dead = false;

  const deliver = (words: string[]): void => {
    const [reply, ...rest] = words;
    if (!REPLY_WORDS.has(reply)) {
      throw new Error(`unexpected reply word "${reply.slice(0, 24)}"`);
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
    reader?.callback([reply, ...attributes]);
  };

  receiver.processRawData = (data: Buffer): void => {
    if (dead) return;
    try {
      for (const sentence of decoder.push(data)) {
        deliver(sentence);
        if (dead) return;
      }
    } catch (err) {
      dead = true;
      hooks.onUnreadable(err instanceof Error ? err.message : String(err));
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
    const bytes = encodeSentence(words);
    if (!socket.writable || transmitter.pool.length > 0) transmitter.pool.push(bytes);
    else socket.write(bytes);
    return connector;
  };

  return socket;
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
