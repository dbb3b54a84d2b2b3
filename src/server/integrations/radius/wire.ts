// RADIUS on the wire (RFC 2865 §3, §5.26; RFC 3579 §3.2): header, the attribute walk, and the MD5 signatures.
// Written here rather than taken from the `radius` package: its decode costs ~40-65 µs per Access-Request
// (dictionary decoding of every attribute, re-encoding the packet to check Message-Authenticator) and
// compares digests as strings; this walk only records where each attribute is, and the values are
// decoded when read.
import { timingSafeEqual } from 'node:crypto';
import { hmacFinish, hmacMd5Key, hmacStart, Md5 } from './md5';

export const HEADER_LENGTH = 20;
export const MAX_PACKET_LENGTH = 4096;
export const AUTHENTICATOR_LENGTH = 16;
export const MESSAGE_AUTHENTICATOR = 80;
export const PROXY_STATE = 33;
const VENDOR_SPECIFIC = 26;

export const CODE_NAMES: Readonly<Record<number, string>> = {
  1: 'Access-Request',
  2: 'Access-Accept',
  3: 'Access-Reject',
  4: 'Accounting-Request',
  5: 'Accounting-Response',
  11: 'Access-Challenge',
  12: 'Status-Server',
  40: 'Disconnect-Request',
  41: 'Disconnect-ACK',
  42: 'Disconnect-NAK',
  43: 'CoA-Request',
  44: 'CoA-ACK',
  45: 'CoA-NAK',
};

export const CODES = {
  'Access-Request': 1,
  'Access-Accept': 2,
  'Access-Reject': 3,
  'Accounting-Request': 4,
  'Accounting-Response': 5,
  'Access-Challenge': 11,
  'Status-Server': 12,
  'Disconnect-Request': 40,
  'Disconnect-ACK': 41,
  'Disconnect-NAK': 42,
  'CoA-Request': 43,
  'CoA-ACK': 44,
  'CoA-NAK': 45,
} as const;

export type RadiusCodeName = keyof typeof CODES;

/** RADIUS secrets are octets; a string is taken as UTF-8, as FreeRADIUS and RouterOS do. */
export type RadiusSecret = string | Buffer;

const secretCache = new Map<string, Buffer>();

/** The same Buffer for the same secret, so its HMAC key states are computed once (md5.ts). */
export function secretBytes(secret: RadiusSecret): Buffer {
  if (typeof secret !== 'string') return secret;
  let bytes = secretCache.get(secret);
  if (!bytes) {
    if (secretCache.size >= 10_000) secretCache.clear();
    bytes = Buffer.from(secret, 'utf8');
    secretCache.set(secret, bytes);
  }
  return bytes;
}

export interface RadiusHeader {
  code: number;
  identifier: number;
  /** The Length field (the datagram may be longer: extra octets are padding). */
  length: number;
  authenticator: Buffer;
}

/** Code, identifier, length and authenticator, for the duplicate cache: no attribute is read. */
export function peekHeader(datagram: Buffer): RadiusHeader | null {
  if (datagram.length < HEADER_LENGTH) return null;
  const length = datagram.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > MAX_PACKET_LENGTH || length > datagram.length) return null;
  return {
    code: datagram[0],
    identifier: datagram[1],
    length,
    authenticator: datagram.subarray(4, HEADER_LENGTH),
  };
}

/** Where each attribute sits in the packet; vendor sub-attributes are listed under vendor * 256 + type. */
export interface AttributeTable {
  keys: number[];
  starts: number[];
  ends: number[];
  /** Offset of the Message-Authenticator value, or -1. */
  messageAuthenticatorAt: number;
}

export type WalkResult = { ok: true; table: AttributeTable } | { ok: false; detail: string };

/** RFC 2865 §5: every attribute has a length of at least 2 and ends inside the packet. */
export function walkAttributes(packet: Buffer): WalkResult {
  const keys: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let messageAuthenticatorAt = -1;
  const end = packet.length;
  let offset = HEADER_LENGTH;

  while (offset < end) {
    if (offset + 2 > end) return malformed(`a truncated attribute header at offset ${offset}`);
    const type = packet[offset];
    const length = packet[offset + 1];
    if (length < 2) return malformed(`attribute ${type} at offset ${offset} has length ${length} (at least 2)`);
    const next = offset + length;
    if (next > end) return malformed(`attribute ${type} at offset ${offset} runs past the packet's Length`);

    if (type === MESSAGE_AUTHENTICATOR) {
      if (length !== 18) return malformed(`Message-Authenticator has length ${length} (18 expected)`);
      if (messageAuthenticatorAt !== -1) return malformed('two Message-Authenticator attributes');
      messageAuthenticatorAt = offset + 2;
    }
    if (type !== VENDOR_SPECIFIC || !walkVendorSpecific(packet, offset, next, keys, starts, ends)) {
      keys.push(type);
      starts.push(offset + 2);
      ends.push(next);
    }
    offset = next;
  }
  return { ok: true, table: { keys, starts, ends, messageAuthenticatorAt } };
}

/**
 * RFC 2865 §5.26's recommended format: Vendor-Id, then type/length/value sub-attributes. A VSA that does not
 * follow it (other vendor formats, garbage) stays one opaque Vendor-Specific attribute instead of failing the
 * packet, as FreeRADIUS does.
 */
function walkVendorSpecific(packet: Buffer, offset: number, next: number, keys: number[], starts: number[], ends: number[]) {
  if (next - offset < 8 || packet[offset + 2] !== 0) return false;
  const vendor = packet.readUInt32BE(offset + 2);
  let sub = offset + 6;
  while (sub < next) {
    if (sub + 2 > next || packet[sub + 1] < 2 || sub + packet[sub + 1] > next) return false;
    sub += packet[sub + 1];
  }
  for (sub = offset + 6; sub < next; sub += packet[sub + 1]) {
    keys.push(vendor * 256 + packet[sub]);
    starts.push(sub + 2);
    ends.push(sub + packet[sub + 1]);
  }
  return true;
}

function malformed(detail: string): WalkResult {
  return { ok: false, detail };
}

const ZERO_16 = Buffer.alloc(AUTHENTICATOR_LENGTH);
const hasher = new Md5();

/**
 * RFC 3579 §3.2 / RFC 5176 §3.3: HMAC-MD5 over the packet with the Message-Authenticator value zeroed; for
 * Accounting, Disconnect and CoA requests the authenticator field is zeroed too (it is signed afterwards).
 * `authenticator` replaces the packet's own field when given (a reply is signed over the request's).
 */
export function computeMessageAuthenticator(packet: Buffer, valueAt: number, secret: Buffer, authenticator?: Buffer): Buffer {
  const key = hmacMd5Key(secret);
  const h = hmacStart(key).update(packet, 0, 4);
  if (authenticator) h.update(authenticator);
  else h.update(packet, 4, HEADER_LENGTH);
  h.update(packet, HEADER_LENGTH, valueAt)
    .zeros(AUTHENTICATOR_LENGTH)
    .update(packet, valueAt + AUTHENTICATOR_LENGTH);
  return hmacFinish(key);
}

export function messageAuthenticatorMatches(packet: Buffer, valueAt: number, secret: Buffer, authenticator?: Buffer): boolean {
  const expected = computeMessageAuthenticator(packet, valueAt, secret, authenticator);
  return timingSafeEqual(expected, packet.subarray(valueAt, valueAt + AUTHENTICATOR_LENGTH));
}

/**
 * MD5(Code + Identifier + Length + `authenticator` + attributes + secret): the Request Authenticator of
 * Accounting/Disconnect/CoA requests (over 16 zero octets) and every Response Authenticator (over the
 * request's).
 */
export function computePacketAuthenticator(packet: Buffer, authenticator: Buffer, secret: Buffer): Buffer {
  return hasher.reset().update(packet, 0, 4).update(authenticator).update(packet, HEADER_LENGTH).update(secret).digest();
}

export function packetAuthenticatorMatches(packet: Buffer, authenticator: Buffer, secret: Buffer): boolean {
  return timingSafeEqual(computePacketAuthenticator(packet, authenticator, secret), packet.subarray(4, HEADER_LENGTH));
}

export { ZERO_16 as ZERO_AUTHENTICATOR };
