// RFC 5176 Dynamic Authorization: Disconnect-Request and CoA-Request to a NAS's CoA port.
import { randomBytes, randomInt } from 'node:crypto';
import {
  RadiusCode,
  decodeRadiusPacket,
  describeErrorCause,
  encodeDynamicAuthRequest,
  responseAuthenticatorMatches,
  type DynamicAuthAttribute,
  type DecodedRadiusPacket,
  type DynamicAuthRequestCode,
  type RadiusAttributeList,
} from './packet';
import { describeSocketError, exchangeDatagram, formatTimeout } from './udp-exchange';

export type CoaResultKind = 'ack' | 'nak' | 'bad-authenticator' | 'closed' | 'no-answer' | 'error';

export interface CoaResult {
  result: CoaResultKind;
  detail: string;
  errorCause?: number;
  rttMs?: number;
}

export interface CoaTarget {
  host: string;
  port: number;
  secret: string;
  timeoutMs: number;
}

const PROBE_USER_NAME = 'nas-panel-probe';

/**
 * Disconnects a session that cannot exist. A verified NAK (or ACK) proves the CoA port is open and
 * the secret matches, without touching any subscriber.
 */
export function sendDisconnectProbe(args: CoaTarget & { nasIpAddress?: string; sessionId?: string }): Promise<CoaResult> {
  const attributes: Array<[string, string]> = [
    ['User-Name', PROBE_USER_NAME],
    ['Acct-Session-Id', args.sessionId ?? `${PROBE_USER_NAME}-${randomBytes(6).toString('hex')}`],
  ];
  if (args.nasIpAddress) attributes.push(['NAS-IP-Address', args.nasIpAddress]);

  return sendDynamicAuthRequest(RadiusCode.DisconnectRequest, args, attributes, (reply) => {
    const cause = describeErrorCause(reply);
    return `reachable, secret matches (${reply.codeName}${cause ? `, ${cause}` : ''})`;
  });
}

/** Ends a real session: identify it with Acct-Session-Id, User-Name and/or Framed-IP-Address. */
export function sendDisconnect(args: CoaTarget & { attributes: RadiusAttributeList }): Promise<CoaResult> {
  return sendDynamicAuthRequest(RadiusCode.DisconnectRequest, args, args.attributes, describeVerdict);
}

/** Changes a live session's authorization (rate limit, filters) with the attributes given. */
export function sendCoaRequest(args: CoaTarget & { attributes: RadiusAttributeList }): Promise<CoaResult> {
  return sendDynamicAuthRequest(RadiusCode.CoaRequest, args, args.attributes, describeVerdict);
}

/**
 * The vendor attributes a CoA sends (the rate a plan gives, src/lib/radius-reply.ts), by number: the panel's
 * bundle cannot read the dictionary files, and the package knows only RFC attributes. coa.test.ts checks these
 * against the dictionaries.
 */
export const COA_VENDOR_ATTRIBUTES: Record<string, { vendor: number; type: number; kind: 'string' | 'integer' }> = {
  'Mikrotik-Rate-Limit': { vendor: 14988, type: 8, kind: 'string' },
  'WISPr-Bandwidth-Max-Up': { vendor: 14122, type: 7, kind: 'integer' },
  'WISPr-Bandwidth-Max-Down': { vendor: 14122, type: 8, kind: 'integer' },
};

function withVendorAttributes(attributes: RadiusAttributeList): DynamicAuthAttribute[] {
  return attributes.map(([name, value]) => {
    const vendor = COA_VENDOR_ATTRIBUTES[name];
    if (!vendor) return [name, value];
    let octets: Buffer;
    if (Buffer.isBuffer(value)) octets = value;
    else if (vendor.kind === 'string') octets = Buffer.from(String(value), 'utf8');
    else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`${name} must be a 32-bit unsigned integer`);
      octets = Buffer.alloc(4);
      octets.writeUInt32BE(n);
    }
    return ['Vendor-Specific', vendor.vendor, [[vendor.type, octets]]];
  });
}

const EXPECTED_REPLIES: Record<DynamicAuthRequestCode, { ack: number; nak: number }> = {
  [RadiusCode.DisconnectRequest]: { ack: RadiusCode.DisconnectAck, nak: RadiusCode.DisconnectNak },
  [RadiusCode.CoaRequest]: { ack: RadiusCode.CoaAck, nak: RadiusCode.CoaNak },
};

async function sendDynamicAuthRequest(
  code: DynamicAuthRequestCode,
  target: CoaTarget,
  attributes: RadiusAttributeList,
  describe: (reply: DecodedRadiusPacket) => string,
): Promise<CoaResult> {
  const { host, port, secret, timeoutMs } = target;
  const identifier = randomInt(256);
  let request: Buffer;
  try {
    // Message-Authenticator always (computed over the zeroed authenticator, as FreeRADIUS does): a NAS hardened
    // against BlastRADIUS may drop requests without it.
    request = encodeDynamicAuthRequest({
      code,
      identifier,
      secret,
      attributes: withVendorAttributes(attributes),
      messageAuthenticator: true,
    });
  } catch (error) {
    return { result: 'error', detail: `cannot build the request: ${(error as Error).message}` };
  }

  const outcome = await exchangeDatagram({
    host,
    port,
    payload: request,
    timeoutMs,
    // Like any RADIUS client, silently drop datagrams that cannot be the answer.
    isReply: (datagram) => datagram.length >= 20 && datagram[1] === identifier,
  });

  switch (outcome.kind) {
    case 'refused':
      return {
        result: 'closed',
        detail: `ICMP port unreachable: nothing listens on udp/${port} (CoA disabled with /radius incoming accept=no, or another port)`,
        rttMs: outcome.rttMs,
      };
    case 'timeout':
      return {
        result: 'no-answer',
        detail: `no answer within ${formatTimeout(timeoutMs)}: CoA disabled (/radius incoming accept=no), wrong port, firewall, or a wrong secret (MikroTik drops requests it cannot verify)`,
      };
    case 'failed':
      return { result: 'error', detail: describeSocketError(outcome.error, host) };
    case 'reply':
      break;
  }

  const { reply, rttMs } = outcome;
  if (!responseAuthenticatorMatches({ request, response: reply, secret })) {
    return {
      result: 'bad-authenticator',
      detail: 'a reply came but its authenticator does not verify: the NAS has a different secret',
      rttMs,
    };
  }

  const decoded = decodeRadiusPacket(reply);
  const expected = EXPECTED_REPLIES[code];
  if (!decoded || (decoded.code !== expected.ack && decoded.code !== expected.nak)) {
    const what = decoded ? decoded.codeName : `code ${reply[0]}`;
    return { result: 'error', detail: `the NAS answered with an unexpected ${what}`, rttMs };
  }

  return {
    result: decoded.code === expected.ack ? 'ack' : 'nak',
    detail: describe(decoded),
    ...(decoded.errorCause !== undefined && { errorCause: decoded.errorCause }),
    rttMs,
  };
}

function describeVerdict(reply: DecodedRadiusPacket): string {
  const cause = describeErrorCause(reply);
  const isAck = reply.code === RadiusCode.DisconnectAck || reply.code === RadiusCode.CoaAck;
  return isAck
    ? `${reply.codeName}: the NAS accepted the request`
    : `${reply.codeName}${cause ? ` (${cause})` : ''}: the NAS refused the request`;
}
