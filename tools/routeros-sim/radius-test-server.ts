// A tiny RADIUS server for the simulator's tests: records what arrives and answers as the test decides.
// Parsing, signatures, PAP and CHAP are written here from RFC 2865/2866/3579 with node:crypto alone, sharing no
// code with the client under test, so a bug on one side cannot hide behind the same bug on the other
// (MS-CHAPv2's DES/MD4 arithmetic is taken from the panel's server side, which has its own RFC 2759 vectors).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import dgram from 'node:dgram';
import { verifyMsChapV2 } from '../../src/server/integrations/radius/mschapv2';

export const T = {
  UserName: 1,
  UserPassword: 2,
  ChapPassword: 3,
  NasIpAddress: 4,
  NasPort: 5,
  ServiceType: 6,
  FramedProtocol: 7,
  FramedIpAddress: 8,
  FilterId: 11,
  ReplyMessage: 18,
  Class: 25,
  VendorSpecific: 26,
  SessionTimeout: 27,
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
  ChapChallenge: 60,
  NasPortType: 61,
  MessageAuthenticator: 80,
  AcctInterimInterval: 85,
  NasPortId: 87,
  FramedPool: 88,
} as const;

export const MICROSOFT = 311;
export const MIKROTIK = 14988;

export interface ReceivedAttribute {
  type: number;
  /** Set for the sub-attributes of a Vendor-Specific. */
  vendor?: number;
  value: Buffer;
}

export class ReceivedPacket {
  constructor(
    readonly raw: Buffer,
    readonly via: 'auth' | 'acct',
    readonly from: { address: string; port: number },
    readonly attributes: ReceivedAttribute[],
    /** null without Message-Authenticator. */
    readonly messageAuthenticatorValid: boolean | null,
    /** Accounting-Request: does the Request Authenticator verify with the secret? */
    readonly requestAuthenticatorValid: boolean,
    readonly messageAuthenticatorFirst: boolean,
    /** When it arrived (Date.now()). */
    readonly at: number = Date.now(),
  ) {}

  get code() {
    return this.raw[0];
  }
  get identifier() {
    return this.raw[1];
  }
  get authenticator() {
    return this.raw.subarray(4, 20);
  }
  raw1(type: number, vendor?: number): Buffer | undefined {
    return this.attributes.find((a) => a.type === type && a.vendor === vendor)?.value;
  }
  all(type: number): Buffer[] {
    return this.attributes.filter((a) => a.type === type && a.vendor === undefined).map((a) => a.value);
  }
  text(type: number): string | undefined {
    return this.raw1(type)?.toString('utf8');
  }
  int(type: number): number | undefined {
    const v = this.raw1(type);
    return v?.length === 4 ? v.readUInt32BE(0) : undefined;
  }
  ip(type: number): string | undefined {
    const v = this.raw1(type);
    return v?.length === 4 ? Array.from(v).join('.') : undefined;
  }
  /** Acct-Status-Type: 1 Start, 2 Stop, 3 Interim-Update, 7 Accounting-On, 8 Accounting-Off. */
  get status() {
    return this.int(T.AcctStatusType);
  }
  /** Gigawords << 32 + Octets. */
  bytes(direction: 'in' | 'out'): number {
    const [octets, gigawords] =
      direction === 'in' ? [T.AcctInputOctets, T.AcctInputGigawords] : [T.AcctOutputOctets, T.AcctOutputGigawords];
    return (this.int(gigawords) ?? 0) * 2 ** 32 + (this.int(octets) ?? 0);
  }
}

export type Decision =
  { code: number; attributes?: Buffer[]; messageAuthenticator?: boolean; corrupt?: boolean; delayMs?: number } | 'silent';

export interface TestRadiusServer {
  authPort: number;
  acctPort: number;
  received: ReceivedPacket[];
  /** Resolves with the first packet (already received or arriving within timeoutMs) that matches. */
  waitFor(match: (p: ReceivedPacket) => boolean, timeoutMs?: number): Promise<ReceivedPacket>;
  stop(): Promise<void>;
}

// --- building reply attributes ----------------------------------------------------------------------------

export function attr(type: number, value: Buffer | string | number): Buffer {
  const v = typeof value === 'number' ? u32(value) : Buffer.from(value);
  return Buffer.concat([Buffer.from([type, v.length + 2]), v]);
}
export function ipAttr(type: number, ip: string): Buffer {
  return attr(type, Buffer.from(ip.split('.').map(Number)));
}
export function vsa(vendor: number, type: number, value: Buffer | string): Buffer {
  const v = Buffer.from(value);
  const head = Buffer.alloc(6);
  head.writeUInt32BE(vendor, 0);
  head[4] = type;
  head[5] = v.length + 2;
  return attr(T.VendorSpecific, Buffer.concat([head, v]));
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

// --- credentials, checked the server's way ------------------------------------------------------------------

/** RFC 2865 §5.2. */
export function papPassword(p: ReceivedPacket, secret: string): string | undefined {
  const hidden = p.raw1(T.UserPassword);
  if (!hidden || hidden.length % 16 !== 0) return undefined;
  const out = Buffer.alloc(hidden.length);
  let previous = p.authenticator;
  for (let i = 0; i < hidden.length; i += 16) {
    const b = createHash('md5').update(secret).update(previous).digest();
    for (let j = 0; j < 16; j++) out[i + j] = hidden[i + j] ^ b[j];
    previous = hidden.subarray(i, i + 16);
  }
  const end = out.indexOf(0);
  return out.toString('utf8', 0, end === -1 ? out.length : end);
}

/** RFC 1994 via RFC 2865 §5.3: MD5(ident + password + challenge), challenge from CHAP-Challenge or the authenticator. */
export function chapMatches(p: ReceivedPacket, password: string): boolean {
  const chap = p.raw1(T.ChapPassword);
  if (chap?.length !== 17) return false;
  const challenge = p.raw1(T.ChapChallenge) ?? p.authenticator;
  const expected = createHash('md5').update(chap.subarray(0, 1)).update(password).update(challenge).digest();
  return timingSafeEqual(expected, chap.subarray(1));
}

/** MS-CHAP2-Success (311/26) for a correct MS-CHAPv2 response, or null when the response is wrong. */
export function msChapV2Success(p: ReceivedPacket, password: string): Buffer | null {
  const challenge = p.raw1(11, MICROSOFT);
  const response = p.raw1(25, MICROSOFT);
  if (!challenge || !response) return null;
  const verified = verifyMsChapV2({ userName: p.text(T.UserName) ?? '', password, authenticatorChallenge: challenge, response });
  return verified.ok ? vsa(MICROSOFT, 26, verified.success) : null;
}

// --- the server ---------------------------------------------------------------------------------------------

export async function startTestRadiusServer(opts: {
  host: string;
  secret: string;
  decide: (request: ReceivedPacket) => Decision;
  /** Default: any free ports. */
  authPort?: number;
  acctPort?: number;
}): Promise<TestRadiusServer> {
  const received: ReceivedPacket[] = [];
  const waiters = new Set<{ match: (p: ReceivedPacket) => boolean; resolve: (p: ReceivedPacket) => void }>();
  const sockets: dgram.Socket[] = [];

  const open = async (via: 'auth' | 'acct', port = 0) => {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (datagram, from) => {
      const packet = parse(datagram, via, from, opts.secret);
      if (!packet) return;
      received.push(packet);
      for (const w of [...waiters]) {
        if (w.match(packet)) {
          waiters.delete(w);
          w.resolve(packet);
        }
      }
      const decision = opts.decide(packet);
      if (decision === 'silent') return;
      const reply = encodeReply(packet, decision, opts.secret);
      const send = () => socket.send(reply, from.port, from.address, () => {});
      if (decision.delayMs) setTimeout(send, decision.delayMs);
      else send();
    });
    await new Promise<void>((resolve) => socket.bind(port, opts.host, resolve));
    sockets.push(socket);
    return socket.address().port;
  };
  const authPort = await open('auth', opts.authPort);
  const acctPort = await open('acct', opts.acctPort);

  return {
    authPort,
    acctPort,
    received,
    waitFor: (match, timeoutMs = 5000) => {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (p: ReceivedPacket) => {
            clearTimeout(timer);
            resolve(p);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching RADIUS packet within ${timeoutMs} ms (${received.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    stop: async () => {
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

function parse(datagram: Buffer, via: 'auth' | 'acct', from: dgram.RemoteInfo, secret: string): ReceivedPacket | null {
  if (datagram.length < 20) return null;
  const length = datagram.readUInt16BE(2);
  if (length < 20 || length > datagram.length) return null;
  const raw = datagram.subarray(0, length);
  const attributes: ReceivedAttribute[] = [];
  let maAt = -1;
  let firstType = -1;
  for (let offset = 20; offset < length;) {
    const type = raw[offset];
    const len = raw[offset + 1];
    if (len < 2 || offset + len > length) return null;
    if (firstType === -1) firstType = type;
    const value = raw.subarray(offset + 2, offset + len);
    if (type === T.MessageAuthenticator) maAt = offset + 2;
    if (type === T.VendorSpecific && value.length >= 6) {
      const vendor = value.readUInt32BE(0);
      for (let sub = 4; sub + 2 <= value.length; sub += value[sub + 1]) {
        if (value[sub + 1] < 2) break;
        attributes.push({ type: value[sub], vendor, value: value.subarray(sub + 2, sub + value[sub + 1]) });
      }
    } else {
      attributes.push({ type, value });
    }
    offset += len;
  }
  const signed = raw[0] !== 1; // Accounting / CoA: the authenticator is computed over zeros
  const authenticatorForHmac = signed ? Buffer.alloc(16) : raw.subarray(4, 20);
  let maValid: boolean | null = null;
  if (maAt !== -1) {
    const copy = Buffer.from(raw);
    authenticatorForHmac.copy(copy, 4);
    copy.fill(0, maAt, maAt + 16);
    maValid = timingSafeEqual(createHmac('md5', secret).update(copy).digest(), raw.subarray(maAt, maAt + 16));
  }
  const requestAuthenticatorValid =
    !signed ||
    timingSafeEqual(
      createHash('md5').update(raw.subarray(0, 4)).update(Buffer.alloc(16)).update(raw.subarray(20)).update(secret).digest(),
      raw.subarray(4, 20),
    );
  return new ReceivedPacket(
    raw,
    via,
    { address: from.address, port: from.port },
    attributes,
    maValid,
    requestAuthenticatorValid,
    firstType === T.MessageAuthenticator,
  );
}

/** Message-Authenticator first (BlastRADIUS) for Access replies, then the Response Authenticator over all of it. */
function encodeReply(request: ReceivedPacket, decision: Exclude<Decision, 'silent'>, secret: string): Buffer {
  const isAccess = decision.code === 2 || decision.code === 3 || decision.code === 11;
  const withMa = decision.messageAuthenticator ?? isAccess;
  const body = Buffer.concat([
    ...(withMa ? [Buffer.concat([Buffer.from([T.MessageAuthenticator, 18]), Buffer.alloc(16)])] : []),
    ...(decision.attributes ?? []),
  ]);
  const packet = Buffer.concat([Buffer.from([decision.code, request.identifier, 0, 0]), request.authenticator, body]);
  packet.writeUInt16BE(packet.length, 2);
  if (withMa) createHmac('md5', secret).update(packet).digest().copy(packet, 22);
  const response = createHash('md5')
    .update(packet.subarray(0, 4))
    .update(request.authenticator)
    .update(packet.subarray(20))
    .update(secret)
    .digest();
  response.copy(packet, 4);
  if (decision.corrupt) packet[4] ^= 0xff;
  return packet;
}
