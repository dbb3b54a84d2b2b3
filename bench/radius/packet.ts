/**
 * The load generator's own RADIUS encoding (RFC 2865, 2866, 2869/3579), written on node:crypto and nothing
 * else: the bench must not share a bug with the code it measures (src/server/integrations/radius uses the
 * `radius` package). Only what the generator and its test responder need: requests out, replies in.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmacMd5, md5 } from '../../src/server/integrations/radius/md5';

export const Code = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
} as const;

export const Attr = {
  UserName: 1,
  UserPassword: 2,
  NasIpAddress: 4,
  NasPort: 5,
  ServiceType: 6,
  FramedProtocol: 7,
  FramedIpAddress: 8,
  ReplyMessage: 18,
  CalledStationId: 30,
  CallingStationId: 31,
  NasIdentifier: 32,
  AcctStatusType: 40,
  AcctDelayTime: 41,
  AcctInputOctets: 42,
  AcctOutputOctets: 43,
  AcctSessionId: 44,
  AcctAuthentic: 45,
  AcctSessionTime: 46,
  AcctInputPackets: 47,
  AcctOutputPackets: 48,
  AcctTerminateCause: 49,
  AcctInputGigawords: 52,
  AcctOutputGigawords: 53,
  EventTimestamp: 55,
  NasPortType: 61,
  MessageAuthenticator: 80,
  NasPortId: 87,
} as const;

export const AcctStatus = { Start: 1, Stop: 2, InterimUpdate: 3 } as const;

/** One attribute on the wire: type and raw value (1-253 octets). */
export type Attribute = readonly [type: number, value: Buffer];

export const str = (type: number, s: string): Attribute => [type, Buffer.from(s, 'utf8')];
export const int = (type: number, n: number): Attribute => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return [type, b];
};
export const ip = (type: number, address: string): Attribute => [type, Buffer.from(address.split('.').map(Number))];

const HEADER = 20;
// The service's MD5 (pure JavaScript, checked against node:crypto in md5.test.ts): node:crypto's hash objects
// cost the generator as much CPU as the sends, and their native handles and buffers lengthened its garbage
// collections, whose pauses would count as the server's latency. Replies are still checked independently of
// our service's code paths: FreeRADIUS's replies pass through the same checks.

/** One Buffer per secret: HMAC keys are prepared once per Buffer (md5.ts). */
const secrets = new Map<string, Buffer>();
function secretBytes(secret: string): Buffer {
  let bytes = secrets.get(secret);
  if (!bytes) secrets.set(secret, (bytes = Buffer.from(secret, 'utf8')));
  return bytes;
}

function assemble(code: number, id: number, authenticator: Buffer, attrs: readonly Attribute[]): Buffer {
  let length = HEADER;
  for (const [, v] of attrs) {
    if (v.length < 1 || v.length > 253) throw new Error(`attribute value of ${v.length} octets (1-253 allowed)`);
    length += 2 + v.length;
  }
  if (length > 4096) throw new Error(`packet of ${length} octets (4096 allowed)`);
  const b = Buffer.allocUnsafe(length);
  b[0] = code;
  b[1] = id;
  b.writeUInt16BE(length, 2);
  authenticator.copy(b, 4);
  let o = HEADER;
  for (const [t, v] of attrs) {
    b[o] = t;
    b[o + 1] = v.length + 2;
    v.copy(b, o + 2);
    o += 2 + v.length;
  }
  return b;
}

/** Offset of the value of the first attribute `type` in a packet, or -1. */
function findAttr(packet: Buffer, type: number): number {
  for (let o = HEADER; o + 2 <= packet.length; o += packet[o + 1]) {
    if (packet[o + 1] < 2) return -1;
    if (packet[o] === type) return o + 2;
  }
  return -1;
}

/** RFC 2865 §5.2: the password padded to 16 octets, each block XORed with MD5(secret + previous block). */
export function encryptPassword(password: string, secret: string, requestAuthenticator: Buffer): Buffer {
  const p = Buffer.from(password, 'utf8');
  if (p.length > 128) throw new Error('User-Password longer than 128 octets');
  const out = Buffer.alloc(Math.max(16, Math.ceil(p.length / 16) * 16));
  p.copy(out);
  const s = secretBytes(secret);
  let prev = requestAuthenticator;
  for (let i = 0; i < out.length; i += 16) {
    const b = md5(s, prev);
    for (let j = 0; j < 16; j++) out[i + j] ^= b[j];
    prev = out.subarray(i, i + 16);
  }
  return out;
}

export function decryptPassword(cipher: Buffer, secret: string, requestAuthenticator: Buffer): string {
  const s = secretBytes(secret);
  const out = Buffer.alloc(cipher.length);
  let prev = requestAuthenticator;
  for (let i = 0; i < cipher.length; i += 16) {
    const b = md5(s, prev);
    for (let j = 0; j < 16; j++) out[i + j] = cipher[i + j] ^ b[j];
    prev = cipher.subarray(i, i + 16);
  }
  const end = out.indexOf(0);
  return out.subarray(0, end < 0 ? out.length : end).toString('utf8');
}

// Request Authenticators cut from a pool refilled 4,096 at a time: one randomBytes call per request was
// the generator's costliest step after the send itself.
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomAuthenticator(): Buffer {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(16 * 4096);
    poolAt = 0;
  }
  poolAt += 16;
  return pool.subarray(poolAt - 16, poolAt);
}

/**
 * An Access-Request with a random Request Authenticator, the password encrypted with it, and
 * Message-Authenticator first (as BlastRADIUS-era clients send it): HMAC-MD5 over the packet with that
 * attribute zeroed.
 */
export function accessRequest(args: { id: number; secret: string; password: string; attrs: readonly Attribute[] }): {
  packet: Buffer;
  authenticator: Buffer;
} {
  const authenticator = randomAuthenticator();
  const attrs: Attribute[] = [
    [Attr.MessageAuthenticator, Buffer.alloc(16)],
    ...args.attrs,
    [Attr.UserPassword, encryptPassword(args.password, args.secret, authenticator)],
  ];
  const packet = assemble(Code.AccessRequest, args.id, authenticator, attrs);
  hmacMd5(secretBytes(args.secret), packet).copy(packet, HEADER + 2);
  return { packet, authenticator };
}

/** An Accounting-Request: authenticator = MD5(code, id, length, 16 zero octets, attributes, secret) (RFC 2866 §3). */
export function accountingRequest(args: { id: number; secret: string; attrs: readonly Attribute[] }): {
  packet: Buffer;
  authenticator: Buffer;
} {
  const packet = assemble(Code.AccountingRequest, args.id, Buffer.alloc(16), args.attrs);
  const authenticator = md5(packet, secretBytes(args.secret));
  authenticator.copy(packet, 4);
  return { packet, authenticator };
}

export type ReplyCheck = { ok: true; code: number } | { ok: false; reason: string };

/**
 * A reply to one of our requests: its length field, its Response Authenticator
 * (MD5(code, id, length, request authenticator, attributes, secret)) and, when present, its
 * Message-Authenticator (HMAC-MD5 over the reply with the request authenticator in place and the attribute zeroed).
 */
export function checkReply(reply: Buffer, requestAuthenticator: Buffer, secret: string): ReplyCheck {
  if (reply.length < HEADER) return { ok: false, reason: 'shorter than a RADIUS header' };
  const length = reply.readUInt16BE(2);
  if (length < HEADER || length > reply.length) return { ok: false, reason: `length field ${length}, datagram ${reply.length}` };
  const p = reply.subarray(0, length);
  const s = secretBytes(secret);
  const expected = md5(p.subarray(0, 4), requestAuthenticator, p.subarray(HEADER), s);
  if (!timingSafeEqual(expected, p.subarray(4, HEADER))) return { ok: false, reason: 'Response Authenticator does not verify' };
  const ma = findAttr(p, Attr.MessageAuthenticator);
  if (ma >= 0) {
    const copy = Buffer.from(p);
    requestAuthenticator.copy(copy, 4);
    copy.fill(0, ma, ma + 16);
    if (!timingSafeEqual(hmacMd5(s, copy), p.subarray(ma, ma + 16))) return { ok: false, reason: 'Message-Authenticator does not verify' };
  }
  return { ok: true, code: p[0] };
}

// ---- The other side, for the generator's test responder -------------------------------------------

export interface DecodedRequest {
  code: number;
  id: number;
  authenticator: Buffer;
  attrs: Map<number, Buffer[]>;
}

/** Parses a request and verifies it the way a server must (null: drop it silently). */
export function decodeRequest(packet: Buffer, secret: string): DecodedRequest | null {
  if (packet.length < HEADER) return null;
  const length = packet.readUInt16BE(2);
  if (length < HEADER || length > packet.length) return null;
  const p = packet.subarray(0, length);
  const attrs = new Map<number, Buffer[]>();
  for (let o = HEADER; o < p.length; o += p[o + 1]) {
    if (o + 2 > p.length || p[o + 1] < 2 || o + p[o + 1] > p.length) return null;
    const list = attrs.get(p[o]) ?? [];
    list.push(p.subarray(o + 2, o + p[o + 1]));
    attrs.set(p[o], list);
  }
  const authenticator = Buffer.from(p.subarray(4, HEADER));
  const s = secretBytes(secret);
  if (p[0] === Code.AccountingRequest) {
    const expected = md5(p.subarray(0, 4), Buffer.alloc(16), p.subarray(HEADER), s);
    if (!timingSafeEqual(expected, authenticator)) return null;
  }
  const ma = findAttr(p, Attr.MessageAuthenticator);
  if (ma >= 0) {
    const copy = Buffer.from(p);
    copy.fill(0, ma, ma + 16);
    if (p[0] === Code.AccountingRequest) copy.fill(0, 4, HEADER);
    if (!timingSafeEqual(hmacMd5(s, copy), p.subarray(ma, ma + 16))) return null;
  }
  return { code: p[0], id: p[1], authenticator, attrs };
}

/** A signed reply; with `messageAuthenticator`, that attribute goes first (as FreeRADIUS 3.2.5+ sends it). */
export function encodeReply(args: {
  code: number;
  request: DecodedRequest;
  secret: string;
  attrs?: readonly Attribute[];
  messageAuthenticator?: boolean;
}): Buffer {
  const attrs: Attribute[] = [
    ...(args.messageAuthenticator ? [[Attr.MessageAuthenticator, Buffer.alloc(16)] as const] : []),
    ...(args.attrs ?? []),
  ];
  const p = assemble(args.code, args.request.id, args.request.authenticator, attrs);
  const s = secretBytes(args.secret);
  if (args.messageAuthenticator) hmacMd5(s, p).copy(p, HEADER + 2);
  md5(p, s).copy(p, 4);
  return p;
}
