// The simulated router's RADIUS socket: one UDP socket bound to the router's own address (the server knows a
// NAS by the source address), requests sent again unchanged while unanswered, replies checked against the
// request they answer before anyone sees them.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { decodeReply, type DecodeReplyFailure } from '../../src/server/integrations/radius/client';
import type { RadiusMessage } from '../../src/server/integrations/radius/message';

export type ExchangeResult =
  | { kind: 'reply'; reply: RadiusMessage; sends: number }
  /** No reply verified in time; `rejected` lists why replies that did arrive were thrown away. */
  | { kind: 'timeout'; sends: number; rejected: DecodeReplyFailure[] }
  /** The transport closed first (the router is stopping), or 256 requests to that port were already in flight. */
  | { kind: 'closed' | 'busy'; sends: number }
  /** The request could not be encoded (an attribute RADIUS cannot carry): nothing was sent. */
  | { kind: 'error'; sends: 0; detail: string };

/** Like `/radius monitor`: what a NAS engineer looks at when "RADIUS does not answer". */
export interface RadiusMonitor {
  requests: number;
  retransmissions: number;
  timeouts: number;
  /** Replies dropped: wrong authenticator or Message-Authenticator, missing Message-Authenticator, garbage. */
  badReplies: number;
  accepts: number;
  rejects: number;
  accountingRequests: number;
  accountingResponses: number;
}

export interface ExchangeOptions {
  port: number;
  /** Builds the packet once an identifier is free; the same bytes are sent again on every retry. */
  encode: (identifier: number) => Buffer;
  timeoutMs: number;
  retries: number;
  requireMessageAuthenticator?: boolean;
}

interface Pending {
  packet: Buffer;
  sends: number;
  rejected: DecodeReplyFailure[];
  timer: NodeJS.Timeout | null;
  opts: ExchangeOptions;
  settle: (result: ExchangeResult) => void;
}

export class RadiusTransport {
  readonly monitor: RadiusMonitor = {
    requests: 0,
    retransmissions: 0,
    timeouts: 0,
    badReplies: 0,
    accepts: 0,
    rejects: 0,
    accountingRequests: 0,
    accountingResponses: 0,
  };
  private readonly pending = new Map<string, Pending>();
  private readonly nextId = new Map<number, number>();
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly server: string,
    private readonly secret: string,
  ) {
    socket.on('message', (datagram, from) => {
      try {
        this.onMessage(datagram, from);
      } catch {
        this.monitor.badReplies++; // whatever arrived, it must not take the router down
      }
    });
    // Send failures (no route, ICMP unreachable reported late) are covered by the retry timer.
    socket.on('error', () => {});
  }

  /** Binds to `host` (any port), so every request leaves from the router's address. */
  static async open(host: string, server: string, secret: string): Promise<RadiusTransport> {
    const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((err: NodeJS.ErrnoException) => {
      socket.close();
      throw new Error(`simulated router cannot open its RADIUS client socket on ${host}: ${err.code ?? err.message}`);
    });
    return new RadiusTransport(socket, server, secret);
  }

  get localPort(): number {
    return this.socket.address().port;
  }

  /** Sends and waits for a verified reply: at most timeoutMs × (retries + 1), never rejects. */
  exchange(opts: ExchangeOptions): Promise<ExchangeResult> {
    if (this.closed) return Promise.resolve({ kind: 'closed', sends: 0 });
    const identifier = this.freeIdentifier(opts.port);
    if (identifier === null) return Promise.resolve({ kind: 'busy', sends: 0 });
    let packet: Buffer;
    try {
      packet = opts.encode(identifier);
    } catch (err) {
      return Promise.resolve({ kind: 'error', sends: 0, detail: err instanceof Error ? err.message : String(err) });
    }
    const key = `${opts.port}/${identifier}`;
    return new Promise<ExchangeResult>((resolve) => {
      const pending: Pending = {
        packet,
        sends: 0,
        rejected: [],
        timer: null,
        opts,
        settle: (result) => {
          if (pending.timer) clearTimeout(pending.timer);
          this.pending.delete(key);
          resolve(result);
        },
      };
      this.pending.set(key, pending);
      this.monitor.requests++;
      this.send(pending);
    });
  }

  /** Ends every exchange still waiting (as `closed`) and closes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of [...this.pending.values()]) pending.settle({ kind: 'closed', sends: pending.sends });
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private send(pending: Pending): void {
    if (pending.sends > 0) this.monitor.retransmissions++;
    pending.sends++;
    this.socket.send(pending.packet, pending.opts.port, this.server, () => {});
    pending.timer = setTimeout(() => {
      if (pending.sends <= pending.opts.retries) return this.send(pending);
      this.monitor.timeouts++;
      pending.settle({ kind: 'timeout', sends: pending.sends, rejected: pending.rejected });
    }, pending.opts.timeoutMs);
  }

  private onMessage(datagram: Buffer, from: dgram.RemoteInfo): void {
    if (from.address !== this.server || datagram.length < 20) {
      this.monitor.badReplies++;
      return;
    }
    const pending = this.pending.get(`${from.port}/${datagram[1]}`);
    if (!pending) return; // a late duplicate of a reply already taken
    const verdict = decodeReply({
      reply: datagram,
      request: pending.packet,
      secret: this.secret,
      requireMessageAuthenticator: pending.opts.requireMessageAuthenticator,
    });
    if (!verdict.ok) {
      // RouterOS counts it as a bad reply and keeps waiting: a forged reply must not end the exchange.
      this.monitor.badReplies++;
      pending.rejected.push(verdict.reason);
      return;
    }
    pending.settle({ kind: 'reply', reply: verdict.reply, sends: pending.sends });
  }

  /** The next identifier not in flight to that port (one byte: at most 256 outstanding per port). */
  private freeIdentifier(port: number): number | null {
    const start = this.nextId.get(port) ?? 0;
    for (let i = 0; i < 256; i++) {
      const id = (start + i) % 256;
      if (!this.pending.has(`${port}/${id}`)) {
        this.nextId.set(port, (id + 1) % 256);
        return id;
      }
    }
    return null;
  }
}
