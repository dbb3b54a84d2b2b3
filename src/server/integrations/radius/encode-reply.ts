// Replies from our RADIUS server, signed as FreeRADIUS 3.2.5+ signs them.
import { encodeAttributes, RadiusAttributeError, type AttributeInputList } from './encode-attributes';
import {
  CODES,
  HEADER_LENGTH,
  MAX_PACKET_LENGTH,
  MESSAGE_AUTHENTICATOR,
  PROXY_STATE,
  computeMessageAuthenticator,
  computePacketAuthenticator,
  secretBytes,
  type RadiusSecret,
} from './wire';

export type ReplyCodeName =
  | 'Access-Accept'
  | 'Access-Reject'
  | 'Access-Challenge'
  | 'Accounting-Response'
  | 'Disconnect-ACK'
  | 'Disconnect-NAK'
  | 'CoA-ACK'
  | 'CoA-NAK';

/** What encodeReply needs from the request (a RadiusRequest has all of it). */
export interface ReplyTo {
  code: number;
  identifier: number;
  authenticator: Buffer;
  proxyStates: Buffer[];
  hasMessageAuthenticator: boolean;
}

const ANSWERS: Record<number, ReadonlySet<ReplyCodeName>> = {
  [CODES['Access-Request']]: new Set(['Access-Accept', 'Access-Reject', 'Access-Challenge']),
  [CODES['Accounting-Request']]: new Set(['Accounting-Response']),
  // RFC 5997 §3: Status-Server is answered like the port's own requests.
  [CODES['Status-Server']]: new Set(['Access-Accept', 'Accounting-Response']),
  [CODES['Disconnect-Request']]: new Set(['Disconnect-ACK', 'Disconnect-NAK']),
  [CODES['CoA-Request']]: new Set(['CoA-ACK', 'CoA-NAK']),
};

const ACCESS_REPLIES = new Set<ReplyCodeName>(['Access-Accept', 'Access-Reject', 'Access-Challenge']);

/**
 * Access-Accept/Reject/Challenge always carry Message-Authenticator as their first attribute (BlastRADIUS:
 * a forged prefix cannot then reach it); Disconnect/CoA answers carry one when the request did;
 * Accounting-Response never does (RFC 2866 has none). Proxy-State values come back last, in order.
 * Throws RadiusAttributeError when an attribute cannot be sent as given, Error for a reply that does not
 * answer the request's code.
 */
export function encodeReply(args: {
  request: ReplyTo;
  code: ReplyCodeName;
  secret: RadiusSecret;
  attributes?: AttributeInputList;
}): Buffer {
  const { request, code } = args;
  if (!ANSWERS[request.code]?.has(code)) {
    throw new Error(`${code} does not answer a request with code ${request.code}`);
  }
  const withMessageAuthenticator = ACCESS_REPLIES.has(code) || (code !== 'Accounting-Response' && request.hasMessageAuthenticator);

  const attributes = encodeAttributes(args.attributes ?? []);
  const proxyStates = request.proxyStates;
  let length = HEADER_LENGTH + (withMessageAuthenticator ? 18 : 0) + attributes.size;
  for (const state of proxyStates) length += state.length + 2;
  if (length > MAX_PACKET_LENGTH) {
    throw new RadiusAttributeError(`the ${code} would be ${length} octets; a RADIUS packet holds at most ${MAX_PACKET_LENGTH}`);
  }

  const packet = Buffer.allocUnsafe(length);
  packet[0] = CODES[code];
  packet[1] = request.identifier;
  packet.writeUInt16BE(length, 2);
  request.authenticator.copy(packet, 4);
  let offset = HEADER_LENGTH;
  if (withMessageAuthenticator) {
    packet[offset] = MESSAGE_AUTHENTICATOR;
    packet[offset + 1] = 18;
    offset += 18;
  }
  offset = attributes.writeTo(packet, offset);
  for (const state of proxyStates) {
    packet[offset] = PROXY_STATE;
    packet[offset + 1] = state.length + 2;
    offset += 2 + state.copy(packet, offset + 2);
  }

  const key = secretBytes(args.secret);
  // RFC 3579 §3.2: the Message-Authenticator of a reply is computed over the Request Authenticator, before
  // the Response Authenticator (which covers it) is written.
  if (withMessageAuthenticator) computeMessageAuthenticator(packet, HEADER_LENGTH + 2, key).copy(packet, HEADER_LENGTH + 2);
  computePacketAuthenticator(packet, request.authenticator, key).copy(packet, 4);
  return packet;
}
