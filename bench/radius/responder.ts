/**
 * A tiny RADIUS server for the generator's tests and for measuring the generator's own ceiling: verifies
 * each request with its client's secret (unknown clients and bad signatures are dropped, as servers do),
 * accepts PAP users whose password matches, answers accounting, and can misbehave on request.
 */
import dgram from 'node:dgram';
import { RECV_BUFFER } from './load';
import { Attr, Code, decodeRequest, decryptPassword, encodeReply, type DecodedRequest } from './packet';

export interface ResponderOptions {
  host: string;
  /** Client address → secret. */
  clients: Map<string, string>;
  password: (username: string) => string;
  /** Called for every verified request (tests read what arrived). */
  onRequest?: (req: DecodedRequest, from: string) => void;
  /** Misbehaviour: swallow a request (the generator must count a timeout). */
  drop?: (req: DecodedRequest) => boolean;
  /** Misbehaviour: sign the reply with this secret instead (the generator must count it bad). */
  replySecret?: (req: DecodedRequest) => string | undefined;
  delayMs?: number;
  /** A server of fixed capacity: requests are answered one at a time, each `serialMs` after the one before. */
  serialMs?: number;
  messageAuthenticator?: boolean;
}

export interface Responder {
  port: number;
  stats: { requests: number; dropped: number; unverified: number };
  close(): Promise<void>;
}

export async function startResponder(opts: ResponderOptions): Promise<Responder> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: RECV_BUFFER });
  const stats = { requests: 0, dropped: 0, unverified: 0 };
  const queue: (() => void)[] = [];
  const serve = () => {
    queue.shift()?.();
    if (queue.length) setTimeout(serve, opts.serialMs);
  };
  socket.on('message', (msg, rinfo) => {
    const secret = opts.clients.get(rinfo.address);
    const req = secret === undefined ? null : decodeRequest(msg, secret);
    if (!req || secret === undefined) {
      stats.unverified++;
      return;
    }
    stats.requests++;
    opts.onRequest?.(req, rinfo.address);
    if (opts.drop?.(req)) {
      stats.dropped++;
      return;
    }
    let code: number;
    if (req.code === Code.AccessRequest) {
      const user = req.attrs.get(Attr.UserName)?.[0]?.toString('utf8') ?? '';
      const cipher = req.attrs.get(Attr.UserPassword)?.[0];
      const ok = cipher !== undefined && decryptPassword(cipher, secret, req.authenticator) === opts.password(user);
      code = ok ? Code.AccessAccept : Code.AccessReject;
    } else if (req.code === Code.AccountingRequest) code = Code.AccountingResponse;
    else return;
    const reply = encodeReply({
      code,
      request: req,
      secret: opts.replySecret?.(req) ?? secret,
      messageAuthenticator: opts.messageAuthenticator ?? req.code === Code.AccessRequest,
    });
    const send = () => socket.send(reply, rinfo.port, rinfo.address);
    if (opts.serialMs) {
      queue.push(send);
      if (queue.length === 1) setTimeout(serve, opts.serialMs);
    } else if (opts.delayMs) setTimeout(send, opts.delayMs);
    else send();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: opts.host, port: 0 }, () => resolve());
  });
  return {
    port: socket.address().port,
    stats,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
