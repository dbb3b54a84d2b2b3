// The simulated MikroTik's CoA port, as with `/radius incoming set accept=yes`.
// Written from RFC 5176 with node:crypto alone, sharing no code with the panel's RADIUS client,
// so a bug on one side cannot hide behind the same bug on the other.
import { createHash, timingSafeEqual } from 'node:crypto';
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';

export interface CoaSession {
  id: string;
  name: string;
  address: string | null;
  sessionId: string | null;
}

export interface CoaResponderOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  secret: string;
  getSessions: () => CoaSession[];
  removeSession: (id: string) => void;
  /** CoA-Request: a new Mikrotik-Rate-Limit for the session. Without it a CoA changes nothing. */
  updateSession?: (id: string, change: { rateLimit?: string }) => void;
}

const Code = { DisconnectRequest: 40, DisconnectAck: 41, DisconnectNak: 42, CoaRequest: 43, CoaAck: 44, CoaNak: 45 };
const Attr = { UserName: 1, FramedIpAddress: 8, VendorSpecific: 26, ProxyState: 33, AcctSessionId: 44, ErrorCause: 101 };
const MIKROTIK = 14988;
const MIKROTIK_RATE_LIMIT = 8;
const ErrorCause = {
  MissingAttribute: 402,
  SessionContextNotFound: 503,
  SessionContextNotRemovable: 504,
  ResourcesUnavailable: 506,
};

interface Attribute {
  type: number;
  value: Buffer;
}

/** Which session a request names; every identifier present must match (RFC 5176 §3). */
interface SessionSelector {
  sessionId?: string;
  name?: string;
  address?: string;
}

export async function startCoaResponder(opts: CoaResponderOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const socket = dgram.createSocket(isIPv6(opts.host) ? 'udp6' : 'udp4');
  socket.on('message', (request, from) => {
    const reply = answer(request, opts);
    // A client that went away is not the simulator's problem: ignore send errors.
    if (reply) socket.send(reply, from.port, from.address, () => {});
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port, opts.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });

  let stopped: Promise<void> | null = null;
  return {
    port: socket.address().port,
    stop: () => (stopped ??= new Promise<void>((resolve) => socket.close(() => resolve()))),
  };
}

/** The reply to send, or null to drop the datagram silently as RouterOS does. */
function answer(request: Buffer, opts: CoaResponderOptions): Buffer | null {
  const code = request[0];
  if (code !== Code.DisconnectRequest && code !== Code.CoaRequest) return null;
  const attributes = parseRequest(request, opts.secret);
  if (!attributes) return null;

  const isDisconnect = code === Code.DisconnectRequest;
  const [ack, nak] = isDisconnect ? [Code.DisconnectAck, Code.DisconnectNak] : [Code.CoaAck, Code.CoaNak];
  // RFC 5176 §3: Proxy-State is echoed in the reply, in order.
  const proxyState = attributes.filter((a) => a.type === Attr.ProxyState);
  const reply = (replyCode: number, errorCause?: number) => {
    const replyAttributes = errorCause ? [...proxyState, errorCauseAttribute(errorCause)] : proxyState;
    return encodeReply(request, replyCode, replyAttributes, opts.secret);
  };

  const selector = readSelector(attributes);
  if (!selector) return reply(nak, ErrorCause.MissingAttribute);

  let matches: CoaSession[];
  try {
    matches = opts.getSessions().filter((session) => selects(selector, session));
  } catch {
    return reply(nak, ErrorCause.ResourcesUnavailable);
  }
  if (matches.length === 0) return reply(nak, ErrorCause.SessionContextNotFound);

  if (isDisconnect) {
    try {
      for (const session of matches) opts.removeSession(session.id);
    } catch {
      return reply(nak, ErrorCause.SessionContextNotRemovable);
    }
  } else {
    const rateLimit = mikrotikRateLimit(attributes);
    try {
      if (rateLimit !== undefined) for (const session of matches) opts.updateSession?.(session.id, { rateLimit });
    } catch {
      return reply(nak, ErrorCause.ResourcesUnavailable);
    }
  }
  return reply(ack);
}

/** Attributes of a well-formed request signed with our secret; null otherwise. */
function parseRequest(request: Buffer, secret: string): Attribute[] | null {
  if (request.length < 20) return null;
  const length = request.readUInt16BE(2);
  if (length < 20 || length > request.length) return null;
  const packet = request.subarray(0, length);

  const expected = createHash('md5')
    .update(packet.subarray(0, 4))
    .update(Buffer.alloc(16))
    .update(packet.subarray(20))
    .update(secret)
    .digest();
  if (!timingSafeEqual(expected, packet.subarray(4, 20))) return null;

  const attributes: Attribute[] = [];
  for (let offset = 20; offset < length;) {
    const attrLength = packet[offset + 1];
    if (attrLength === undefined || attrLength < 2 || offset + attrLength > length) return null;
    attributes.push({ type: packet[offset], value: packet.subarray(offset + 2, offset + attrLength) });
    offset += attrLength;
  }
  return attributes;
}

function readSelector(attributes: Attribute[]): SessionSelector | null {
  const first = (type: number) => attributes.find((a) => a.type === type)?.value;
  const sessionId = first(Attr.AcctSessionId)?.toString('utf8');
  const name = first(Attr.UserName)?.toString('utf8');
  const ip = first(Attr.FramedIpAddress);
  const address = ip?.length === 4 ? Array.from(ip).join('.') : undefined;

  if (sessionId === undefined && name === undefined && address === undefined) return null;
  return { sessionId, name, address };
}

/** RouterOS prints `session-id=0x81000068` and sends Acct-Session-Id `81000068`: either names the session. */
function sameSessionId(a: string, b: string | null): boolean {
  const normal = (id: string) => id.replace(/^0x/i, '').toLowerCase();
  return b !== null && normal(a) === normal(b);
}

/** The value of Vendor-Specific(MikroTik, Mikrotik-Rate-Limit), if the request carries one. */
function mikrotikRateLimit(attributes: Attribute[]): string | undefined {
  for (const { type, value } of attributes) {
    if (type !== Attr.VendorSpecific || value.length < 6 || value.readUInt32BE(0) !== MIKROTIK) continue;
    for (let offset = 4; offset + 2 <= value.length;) {
      const subLength = value[offset + 1];
      if (subLength < 2 || offset + subLength > value.length) break;
      if (value[offset] === MIKROTIK_RATE_LIMIT) return value.toString('utf8', offset + 2, offset + subLength);
      offset += subLength;
    }
  }
  return undefined;
}

function selects(selector: SessionSelector, session: CoaSession): boolean {
  return (
    (selector.sessionId === undefined || sameSessionId(selector.sessionId, session.sessionId)) &&
    (selector.name === undefined || selector.name === session.name) &&
    (selector.address === undefined || selector.address === session.address)
  );
}

function errorCauseAttribute(cause: number): Attribute {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(cause);
  return { type: Attr.ErrorCause, value };
}

/** Response Authenticator = MD5(Code + Identifier + Length + Request Authenticator + attributes + secret). */
function encodeReply(request: Buffer, code: number, attributes: Attribute[], secret: string): Buffer {
  const body = Buffer.concat(attributes.flatMap((a) => [Buffer.from([a.type, a.value.length + 2]), a.value]));
  const header = Buffer.from([code, request[1], 0, 0]);
  header.writeUInt16BE(20 + body.length, 2);
  const authenticator = createHash('md5').update(header).update(request.subarray(4, 20)).update(body).update(secret).digest();
  return Buffer.concat([header, authenticator, body]);
}
