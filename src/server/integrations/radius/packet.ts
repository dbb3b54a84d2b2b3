// RADIUS packet helpers shared by the UDP probe and CoA/Disconnect.
//
// From the `radius` npm package: attribute encoding and the RFC 5176 §2.3 Request Authenticator
// (`encode` starts codes 40/43 from 16 zero octets and signs with MD5(packet + secret)), the RFC 5997
// Status-Server Message-Authenticator, and attribute decoding with its dictionaries (Error-Cause names).
// Written here: authenticator verification, because the package compares digests as UTF-8 strings,
// which is lossy for binary data (different digests can compare equal).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import radius from 'radius';

export const RadiusCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
  CoaRequest: 43,
  CoaAck: 44,
  CoaNak: 45,
} as const;

export type DynamicAuthRequestCode = typeof RadiusCode.DisconnectRequest | typeof RadiusCode.CoaRequest;

/** `[name, value]` pairs in dictionary names: `['User-Name', 'alice']`, `['Framed-IP-Address', '10.0.0.9']`. */
export type RadiusAttributeList = ReadonlyArray<readonly [name: string, value: string | number | Buffer]>;

export interface DecodedRadiusPacket {
  code: number;
  codeName: string;
  identifier: number;
  attributes: Record<string, unknown>;
  errorCause?: number;
  errorCauseName?: string;
}

const HEADER_LENGTH = 20;
const ERROR_CAUSE = 101;
const MESSAGE_AUTHENTICATOR = 80;
const MESSAGE_AUTHENTICATOR_LENGTH = 16;
const REQUEST_CODE_NAMES: Record<DynamicAuthRequestCode, string> = { 40: 'Disconnect-Request', 43: 'CoA-Request' };

/** A vendor attribute given as its numbers, for vendors the package has no dictionary of: `[type, value]`. */
export type RawVendorAttribute = readonly [type: number, value: Buffer];

/** What encodeDynamicAuthRequest takes: named attributes, and Vendor-Specific ones as numbers and octets. */
export type DynamicAuthAttribute =
  RadiusAttributeList[number] | readonly [name: 'Vendor-Specific', vendorId: number, attributes: ReadonlyArray<RawVendorAttribute>];

/**
 * A Disconnect-Request (40) or CoA-Request (43) signed per RFC 5176 §2.3. With `messageAuthenticator`, the
 * last attribute is Message-Authenticator, computed here as FreeRADIUS does: the package would compute it
 * over the final Request Authenticator instead of over zeros.
 */
export function encodeDynamicAuthRequest(args: {
  code: DynamicAuthRequestCode;
  identifier: number;
  secret: string;
  attributes: ReadonlyArray<DynamicAuthAttribute>;
  messageAuthenticator?: boolean;
}): Buffer {
  const attributes: unknown[][] = args.attributes.map((a) => [...a]);
  if (args.messageAuthenticator) attributes.push(['Message-Authenticator', Buffer.alloc(MESSAGE_AUTHENTICATOR_LENGTH)]);
  const packet = radius.encode({
    code: REQUEST_CODE_NAMES[args.code],
    identifier: args.identifier,
    secret: args.secret,
    attributes: attributes as never,
    add_message_authenticator: false,
  });
  return args.messageAuthenticator ? signWithMessageAuthenticator(packet, args.secret) : packet;
}

/**
 * RFC 5176 §3.3 for requests: HMAC-MD5 over the packet with the Request Authenticator and the
 * Message-Authenticator zeroed (FreeRADIUS's rad_sign), then the Request Authenticator over the result.
 */
function signWithMessageAuthenticator(encoded: Buffer, secret: string): Buffer {
  const packet = Buffer.from(encoded);
  const value = packet.length - MESSAGE_AUTHENTICATOR_LENGTH;
  if (packet[value - 2] !== MESSAGE_AUTHENTICATOR || packet[value - 1] !== MESSAGE_AUTHENTICATOR_LENGTH + 2) {
    throw new Error('Message-Authenticator is not the last attribute');
  }
  packet.fill(0, 4, HEADER_LENGTH);
  packet.fill(0, value);
  createHmac('md5', secret).update(packet).digest().copy(packet, value);
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

/** RFC 5997 Status-Server: random Request Authenticator plus the required Message-Authenticator. */
export function encodeStatusServer(args: { identifier: number; secret: string; authenticator?: Buffer }): Buffer {
  return radius.encode({
    code: 'Status-Server',
    identifier: args.identifier,
    secret: args.secret,
    authenticator: args.authenticator,
    attributes: [],
    add_message_authenticator: true,
  });
}

/** Accounting/Disconnect/CoA requests: the authenticator is MD5(header with 16 zero octets + attributes + secret). */
export function requestAuthenticatorMatches(packet: Buffer, secret: string): boolean {
  const body = framed(packet);
  if (!body) return false;
  const expected = createHash('md5')
    .update(body.subarray(0, 4))
    .update(Buffer.alloc(16))
    .update(body.subarray(HEADER_LENGTH))
    .update(secret)
    .digest();
  return timingSafeEqual(expected, body.subarray(4, HEADER_LENGTH));
}

/** Any response: the authenticator is MD5(Code + Identifier + Length + Request Authenticator + attributes + secret). */
export function responseAuthenticatorMatches(args: { request: Buffer; response: Buffer; secret: string }): boolean {
  const response = framed(args.response);
  if (!response || args.request.length < HEADER_LENGTH || response[1] !== args.request[1]) return false;
  const expected = createHash('md5')
    .update(response.subarray(0, 4))
    .update(args.request.subarray(4, HEADER_LENGTH))
    .update(response.subarray(HEADER_LENGTH))
    .update(args.secret)
    .digest();
  return timingSafeEqual(expected, response.subarray(4, HEADER_LENGTH));
}

/** Decodes without verifying anything; null when the datagram is not a RADIUS packet the dictionaries know. */
export function decodeRadiusPacket(packet: Buffer): DecodedRadiusPacket | null {
  const body = framed(packet);
  if (!body) return null;
  let decoded: ReturnType<typeof radius.decode_without_secret>;
  try {
    decoded = radius.decode_without_secret({ packet: body });
  } catch {
    return null;
  }

  const rawCause = decoded.raw_attributes.find(([type, value]) => type === ERROR_CAUSE && value.length === 4);
  const causeName = decoded.attributes['Error-Cause'];
  return {
    code: body[0],
    codeName: decoded.code,
    identifier: decoded.identifier,
    attributes: decoded.attributes,
    ...(rawCause && { errorCause: rawCause[1].readUInt32BE(0) }),
    ...(typeof causeName === 'string' && { errorCauseName: causeName }),
  };
}

/** "Error-Cause 503 Session-Context-Not-Found" */
export function describeErrorCause(packet: Pick<DecodedRadiusPacket, 'errorCause' | 'errorCauseName'>): string | null {
  if (packet.errorCause === undefined) return null;
  return `Error-Cause ${packet.errorCause}${packet.errorCauseName ? ` ${packet.errorCauseName}` : ''}`;
}

/** The packet cut to its Length field (RFC 2865 §3: extra octets are padding), or null if the header is wrong. */
function framed(packet: Buffer): Buffer | null {
  if (packet.length < HEADER_LENGTH) return null;
  const length = packet.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > packet.length) return null;
  return packet.subarray(0, length);
}
