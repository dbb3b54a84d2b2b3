// The NAS side: requests as RouterOS 7.15+ sends them, and checking the server's replies. Used by the
// RouterOS simulator, the bench and the tests.
import { randomBytes, randomInt } from 'node:crypto';
import { chapResponse } from './chap';
import { encodeAttributes, RadiusAttributeError, type AttributeInput, type AttributeInputList } from './encode-attributes';
import { RadiusMessage } from './message';
import { buildMsChap2Response, generateAuthenticatorResponse, generateNtResponse, ntPasswordHash } from './mschapv2';
import { encryptUserPassword } from './pap';
import {
  CODES,
  HEADER_LENGTH,
  MAX_PACKET_LENGTH,
  MESSAGE_AUTHENTICATOR,
  PROXY_STATE,
  ZERO_AUTHENTICATOR,
  computeMessageAuthenticator,
  computePacketAuthenticator,
  messageAuthenticatorMatches,
  packetAuthenticatorMatches,
  secretBytes,
  walkAttributes,
  type RadiusSecret,
} from './wire';

export type RequestCodeName = 'Access-Request' | 'Accounting-Request' | 'Status-Server' | 'Disconnect-Request' | 'CoA-Request';

const RANDOM_AUTHENTICATOR = new Set<RequestCodeName>(['Access-Request', 'Status-Server']);

/**
 * Any request. Access-Request and Status-Server get a random Request Authenticator (or the one given);
 * the others are signed (RFC 2866 §3, RFC 5176 §2.3). Message-Authenticator, when asked for, goes first and
 * for signed codes is computed over the zeroed authenticator, as FreeRADIUS does. User-Password may be
 * given in cleartext: it is hidden here.
 */
export function encodeRequest(args: {
  code: RequestCodeName;
  identifier: number;
  secret: RadiusSecret;
  attributes?: AttributeInputList;
  authenticator?: Buffer;
  messageAuthenticator?: boolean;
  proxyStates?: Buffer[];
}): Buffer {
  const key = secretBytes(args.secret);
  const random = RANDOM_AUTHENTICATOR.has(args.code);
  if (args.authenticator && !random) throw new Error(`a ${args.code} has a computed authenticator; do not pass one`);
  const authenticator = random ? (args.authenticator ?? randomBytes(16)) : ZERO_AUTHENTICATOR;
  const withMessageAuthenticator = args.messageAuthenticator ?? args.code === 'Status-Server';

  const attributes = encodeAttributes(args.attributes ?? [], {
    encryptUserPassword: (clear) => encryptUserPassword(clear, key, authenticator),
  });
  const proxyStates = args.proxyStates ?? [];
  let length = HEADER_LENGTH + (withMessageAuthenticator ? 18 : 0) + attributes.size;
  for (const state of proxyStates) length += state.length + 2;
  if (length > MAX_PACKET_LENGTH) throw new RadiusAttributeError(`the ${args.code} would be ${length} octets (at most 4096)`);

  const packet = Buffer.alloc(length);
  packet[0] = CODES[args.code];
  packet[1] = args.identifier;
  packet.writeUInt16BE(length, 2);
  authenticator.copy(packet, 4);
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

  if (withMessageAuthenticator) computeMessageAuthenticator(packet, HEADER_LENGTH + 2, key).copy(packet, HEADER_LENGTH + 2);
  if (!random) computePacketAuthenticator(packet, ZERO_AUTHENTICATOR, key).copy(packet, 4);
  return packet;
}

export type Credentials =
  | { method: 'pap'; password: string }
  /** `challenge`: a CHAP-Challenge to send (16 random octets by default), or 'authenticator' to use the Request Authenticator. */
  | { method: 'chap'; password: string; ident?: number; challenge?: Buffer | 'authenticator' }
  | { method: 'mschapv2'; password: string; ident?: number; authenticatorChallenge?: Buffer; peerChallenge?: Buffer };

export interface AccessRequest {
  packet: Buffer;
  authenticator: Buffer;
  identifier: number;
  /** MS-CHAPv2 only: what MS-CHAP2-Success must carry ("S=…"), and the values the MPPE keys derive from. */
  msChapV2?: { expectedAuthenticatorResponse: string; ntResponse: Buffer; passwordHash: Buffer };
}

/**
 * An Access-Request as a PPPoE NAS sends it: User-Name, the credentials of the chosen method (computed the
 * way the subscriber's PPP client does) and Message-Authenticator (first) unless turned off.
 */
export function encodeAccessRequest(args: {
  identifier?: number;
  secret: RadiusSecret;
  userName: string;
  credentials: Credentials;
  attributes?: AttributeInputList;
  authenticator?: Buffer;
  messageAuthenticator?: boolean;
  proxyStates?: Buffer[];
}): AccessRequest {
  const identifier = args.identifier ?? randomInt(256);
  const authenticator = args.authenticator ?? randomBytes(16);
  const { credentials } = args;
  const attributes: AttributeInput[] = [['User-Name', args.userName]];
  let msChapV2: AccessRequest['msChapV2'];

  switch (credentials.method) {
    case 'pap':
      attributes.push(['User-Password', credentials.password]);
      break;
    case 'chap': {
      const ident = credentials.ident ?? randomInt(256);
      const challenge = credentials.challenge === 'authenticator' ? authenticator : (credentials.challenge ?? randomBytes(16));
      attributes.push(['CHAP-Password', Buffer.concat([Buffer.from([ident]), chapResponse(ident, credentials.password, challenge)])]);
      if (credentials.challenge !== 'authenticator') attributes.push(['CHAP-Challenge', challenge]);
      break;
    }
    case 'mschapv2': {
      const authenticatorChallenge = credentials.authenticatorChallenge ?? randomBytes(16);
      const peerChallenge = credentials.peerChallenge ?? randomBytes(16);
      const ntResponse = generateNtResponse({
        authenticatorChallenge,
        peerChallenge,
        userName: args.userName,
        password: credentials.password,
      });
      const ident = credentials.ident ?? randomInt(256);
      attributes.push(['MS-CHAP-Challenge', authenticatorChallenge]);
      attributes.push(['MS-CHAP2-Response', buildMsChap2Response({ ident, flags: 0, peerChallenge, ntResponse })]);
      const passwordHash = ntPasswordHash(credentials.password);
      msChapV2 = {
        ntResponse,
        passwordHash,
        expectedAuthenticatorResponse: generateAuthenticatorResponse({
          passwordHash,
          ntResponse,
          peerChallenge,
          authenticatorChallenge,
          userName: args.userName,
        }),
      };
      break;
    }
  }

  const packet = encodeRequest({
    code: 'Access-Request',
    identifier,
    secret: args.secret,
    authenticator,
    attributes: [...attributes, ...(args.attributes ?? [])],
    messageAuthenticator: args.messageAuthenticator ?? true,
    proxyStates: args.proxyStates,
  });
  return { packet, authenticator, identifier, ...(msChapV2 && { msChapV2 }) };
}

/** Accounting-Request (Start, Interim-Update, Stop…): signed; no Message-Authenticator, as RouterOS sends it. */
export function encodeAccountingRequest(args: {
  identifier?: number;
  secret: RadiusSecret;
  attributes: AttributeInputList;
  messageAuthenticator?: boolean;
}): Buffer {
  return encodeRequest({
    code: 'Accounting-Request',
    identifier: args.identifier ?? randomInt(256),
    secret: args.secret,
    attributes: args.attributes,
    messageAuthenticator: args.messageAuthenticator ?? false,
  });
}

export type DecodeReplyFailure =
  'malformed' | 'not-a-reply' | 'identifier-mismatch' | 'bad-authenticator' | 'bad-message-authenticator' | 'missing-message-authenticator';

export type DecodeReplyResult = { ok: true; reply: RadiusMessage } | { ok: false; reason: DecodeReplyFailure; detail: string };

const REPLIES_TO: Record<number, ReadonlySet<number>> = {
  [CODES['Access-Request']]: new Set([CODES['Access-Accept'], CODES['Access-Reject'], CODES['Access-Challenge']]),
  [CODES['Accounting-Request']]: new Set([CODES['Accounting-Response']]),
  [CODES['Status-Server']]: new Set([CODES['Access-Accept'], CODES['Accounting-Response']]),
  [CODES['Disconnect-Request']]: new Set([CODES['Disconnect-ACK'], CODES['Disconnect-NAK']]),
  [CODES['CoA-Request']]: new Set([CODES['CoA-ACK'], CODES['CoA-NAK']]),
};

/**
 * Verifies a reply against the request it answers: identifier, Response Authenticator, Message-Authenticator
 * (over the Request Authenticator). A client following the BlastRADIUS advice requires Message-Authenticator
 * in Access-Accept/Reject/Challenge; `requireMessageAuthenticator: false` accepts servers that omit it.
 */
export function decodeReply(args: {
  reply: Buffer;
  request: Buffer;
  secret: RadiusSecret;
  requireMessageAuthenticator?: boolean;
}): DecodeReplyResult {
  const { reply, request } = args;
  if (reply.length < HEADER_LENGTH || request.length < HEADER_LENGTH) return fail('malformed', 'shorter than a RADIUS header');
  const length = reply.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > MAX_PACKET_LENGTH || length > reply.length) {
    return fail('malformed', `Length field ${length} does not fit the ${reply.length}-octet datagram`);
  }
  const packet = reply.subarray(0, length);
  if (!REPLIES_TO[request[0]]?.has(packet[0])) return fail('not-a-reply', `code ${packet[0]} does not answer code ${request[0]}`);
  if (packet[1] !== request[1]) return fail('identifier-mismatch', `identifier ${packet[1]}, the request had ${request[1]}`);
  const walk = walkAttributes(packet);
  if (!walk.ok) return fail('malformed', walk.detail);

  const key = secretBytes(args.secret);
  const requestAuthenticator = request.subarray(4, HEADER_LENGTH);
  if (!packetAuthenticatorMatches(packet, requestAuthenticator, key)) {
    return fail('bad-authenticator', 'invalid Response Authenticator: the shared secret is incorrect');
  }
  const maAt = walk.table.messageAuthenticatorAt;
  if (maAt !== -1 && !messageAuthenticatorMatches(packet, maAt, key, requestAuthenticator)) {
    return fail('bad-message-authenticator', 'Message-Authenticator does not verify');
  }
  const isAccessReply = packet[0] === 2 || packet[0] === 3 || packet[0] === 11;
  if (maAt === -1 && isAccessReply && (args.requireMessageAuthenticator ?? true)) {
    return fail('missing-message-authenticator', 'Access reply without Message-Authenticator (BlastRADIUS)');
  }
  return { ok: true, reply: new RadiusMessage(packet, walk.table) };
}

function fail(reason: DecodeReplyFailure, detail: string): DecodeReplyResult {
  return { ok: false, reason, detail };
}
