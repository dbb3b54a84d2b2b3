// Decoding a request the server received, with every check FreeRADIUS 3.2.5+ makes before processing it.
import { RadiusMessage, type RadiusRequest } from './message';
import {
  CODES,
  HEADER_LENGTH,
  MAX_PACKET_LENGTH,
  PROXY_STATE,
  ZERO_AUTHENTICATOR,
  messageAuthenticatorMatches,
  packetAuthenticatorMatches,
  secretBytes,
  walkAttributes,
  type RadiusSecret,
} from './wire';

export type DecodeFailureReason =
  | 'malformed'
  | 'unsupported-code'
  | 'bad-authenticator'
  | 'bad-message-authenticator'
  | 'missing-message-authenticator'
  | 'proxy-state-without-message-authenticator';

export type DecodeRequestResult = { ok: true; request: RadiusRequest } | { ok: false; reason: DecodeFailureReason; detail: string };

export interface DecodeRequestOptions {
  /** FreeRADIUS `require_message_authenticator`: drop Access-Requests without it (BlastRADIUS). */
  requireMessageAuthenticator: boolean;
  /** FreeRADIUS `limit_proxy_state`: drop Access-Requests with Proxy-State but no Message-Authenticator. Default true. */
  limitProxyState?: boolean;
}

const EAP_MESSAGE = 79;

/** The request codes a RADIUS server (or, for Disconnect/CoA, a NAS) accepts. */
const REQUEST_CODES = new Set<number>([
  CODES['Access-Request'],
  CODES['Accounting-Request'],
  CODES['Status-Server'],
  CODES['Disconnect-Request'],
  CODES['CoA-Request'],
]);

/** Requests whose authenticator is a signature (RFC 2866 §3, RFC 5176 §2.3), not a random nonce. */
const SIGNED_REQUEST_CODES = new Set<number>([CODES['Accounting-Request'], CODES['Disconnect-Request'], CODES['CoA-Request']]);

/**
 * Frames, walks and verifies one request datagram. The reasons map to FreeRADIUS's log lines so operators
 * recognise them; none of the details contain the secret or attribute values.
 */
export function decodeRequest(datagram: Buffer, secret: RadiusSecret, options: DecodeRequestOptions): DecodeRequestResult {
  if (datagram.length < HEADER_LENGTH) return fail('malformed', `${datagram.length} octets, shorter than a RADIUS header (20)`);
  const length = datagram.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > MAX_PACKET_LENGTH) {
    return fail('malformed', `Length field ${length} outside 20-4096`);
  }
  if (length > datagram.length) {
    return fail('malformed', `Length field ${length} is longer than the ${datagram.length}-octet datagram`);
  }
  const code = datagram[0];
  if (!REQUEST_CODES.has(code)) return fail('unsupported-code', `code ${code} is not a request this server handles`);

  // RFC 2865 §3: octets beyond Length are padding and are ignored.
  const packet = length === datagram.length ? datagram : datagram.subarray(0, length);
  const walk = walkAttributes(packet);
  if (!walk.ok) return fail('malformed', walk.detail);
  const { table } = walk;
  const key = secretBytes(secret);
  const signed = SIGNED_REQUEST_CODES.has(code);

  if (signed && !packetAuthenticatorMatches(packet, ZERO_AUTHENTICATOR, key)) {
    return fail('bad-authenticator', 'invalid Request Authenticator: the shared secret is incorrect');
  }
  const maAt = table.messageAuthenticatorAt;
  if (maAt !== -1 && !messageAuthenticatorMatches(packet, maAt, key, signed ? ZERO_AUTHENTICATOR : undefined)) {
    return fail('bad-message-authenticator', 'Message-Authenticator does not verify: the shared secret is incorrect');
  }
  if (maAt === -1) {
    if (code === CODES['Status-Server']) {
      return fail('missing-message-authenticator', 'Status-Server without Message-Authenticator (RFC 5997 requires it)');
    }
    if (code === CODES['Access-Request']) {
      if (table.keys.includes(EAP_MESSAGE)) {
        return fail('missing-message-authenticator', 'Access-Request with EAP-Message but no Message-Authenticator (RFC 3579 §3.2)');
      }
      if (options.requireMessageAuthenticator) {
        return fail(
          'missing-message-authenticator',
          'Access-Request without Message-Authenticator while this NAS requires it (RouterOS sends it from 7.15; older ones need the requirement off)',
        );
      }
      if ((options.limitProxyState ?? true) && table.keys.includes(PROXY_STATE)) {
        return fail(
          'proxy-state-without-message-authenticator',
          'Access-Request with Proxy-State but no Message-Authenticator (BlastRADIUS)',
        );
      }
    }
  }
  return { ok: true, request: new RadiusMessage(packet, table) };
}

function fail(reason: DecodeFailureReason, detail: string): DecodeRequestResult {
  return { ok: false, reason, detail };
}

/**
 * The attributes of a datagram nobody has verified (no secret: e.g. from an address that is no NAS), for
 * logging who is knocking (NAS-Identifier, NAS-IP-Address). Nothing in it is authenticated. Null when the
 * datagram does not even parse.
 */
export function decodeUnverified(datagram: Buffer): RadiusMessage | null {
  if (datagram.length < HEADER_LENGTH) return null;
  const length = datagram.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > MAX_PACKET_LENGTH || length > datagram.length) return null;
  const packet = datagram.subarray(0, length);
  const walk = walkAttributes(packet);
  return walk.ok ? new RadiusMessage(packet, walk.table) : null;
}
