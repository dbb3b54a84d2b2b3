import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { acctUniqueId, AcctStatus, eventTime, octets, terminateCauseName, type AccountingRecord } from './accounting-record';
import type { AccountingWriter } from './accounting-writer';
import { decideAccess, type AccessAttempt } from './access';
import { DuplicateCache } from './duplicates';
import type { NasActivity } from './nas-activity';
import type { NasClient, NasClients } from './nas-clients';
import {
  authenticateRequest,
  decodeRequest,
  decodeUnverified,
  detectAuthMethod,
  encodeReply,
  peekHeader,
  RADIUS_CODES,
  type RadiusRequest,
  type ReplyCodeName,
} from '@/server/integrations/radius';
import type { ReplyAttribute } from '@/lib/radius-reply';
import type { SubscriberDirectory } from './subscribers';
import type { UnknownClients } from './unknown-clients';

export interface RadiusServerDeps {
  clients: NasClients;
  subscribers: SubscriberDirectory;
  accounting: AccountingWriter;
  activity: NasActivity;
  unknown: UnknownClients;
  log: (line: string) => void;
}

export interface RadiusSockets {
  /** Where each socket listens, e.g. `127.0.0.1:1812 (auth)`. */
  readonly addresses: string[];
  /** The ports bound (the asked ones, or what the system chose for 0). */
  readonly ports: { auth: number; acct: number };
  close(): Promise<void>;
}

/**
 * The sockets: an auth and an accounting socket per listen address. Every datagram goes the same way: known NAS
 * (by source address) or recorded and dropped; a retransmission answered from the cache; verified with the NAS's
 * secret or counted as a mismatch and dropped; then answered.
 */
export async function startRadiusSockets(
  deps: RadiusServerDeps,
  listen: { addresses: string[]; authPort: number; acctPort: number },
): Promise<RadiusSockets> {
  const duplicates = new DuplicateCache();
  const sockets: dgram.Socket[] = [];
  const addresses: string[] = [];
  const ports = { auth: listen.authPort, acct: listen.acctPort };
  const open = async (address: string, port: number, kind: 'auth' | 'acct') => {
    // A large receive buffer: after an outage every router re-authenticates and re-sends its accounting at
    // once, and the kernel's default (~200 KB) drops such a burst before it is read. Capped by net.core.rmem_max.
    const socket = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', reuseAddr: false, recvBufferSize: RECEIVE_BUFFER });
    socket.on('message', (datagram, rinfo) => {
      try {
        handle(deps, duplicates, socket, kind, datagram, rinfo)?.catch((e: unknown) => failed(deps, rinfo, e));
      } catch (e) {
        failed(deps, rinfo, e);
      }
    });
    socket.on('error', (e) => deps.log(`[radius] ${kind} socket on ${address}:${port}: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((e: NodeJS.ErrnoException) => {
      socket.close();
      throw new Error(
        `the RADIUS ${kind} port ${address}:${port} cannot be opened (${e.code ?? e.message}): another RADIUS server (FreeRADIUS?) may hold it; set RADIUS_LISTEN / RADIUS_${kind === 'auth' ? 'AUTH' : 'ACCT'}_PORT`,
      );
    });
    sockets.push(socket);
    const bound = socket.address().port;
    ports[kind] = bound;
    addresses.push(`${address}:${bound} (${kind})`);
  };
  try {
    for (const address of listen.addresses) {
      // Port 0 (tests) picks one for the first address; the others use the same.
      await open(address, ports.auth, 'auth');
      await open(address, ports.acct, 'acct');
    }
  } catch (e) {
    for (const s of sockets) s.close();
    throw e;
  }
  return {
    addresses,
    ports,
    close: async () => {
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

const failed = (deps: RadiusServerDeps, rinfo: dgram.RemoteInfo, e: unknown) =>
  deps.log(`[radius] a packet from ${rinfo.address} failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : e}`);

/**
 * One datagram. Synchronous unless an accounting write is in flight (then the promise of its reply): an
 * Access-Request needs nothing but memory, and a promise per packet was measurable CPU at thousands a second.
 */
function handle(
  deps: RadiusServerDeps,
  duplicates: DuplicateCache,
  socket: dgram.Socket,
  kind: 'auth' | 'acct',
  datagram: Buffer,
  rinfo: dgram.RemoteInfo,
): Promise<void> | undefined {
  const nas = deps.clients.lookup(rinfo.address);
  if (!nas) {
    // Nothing from an unknown address is verified or answered; what it says of itself is kept as a hint.
    const claimed = decodeUnverified(datagram);
    deps.unknown.record(
      rinfo.address,
      claimed?.text('NAS-Identifier'),
      claimed ? (str(claimed.get('NAS-IP-Address')) ?? undefined) : undefined,
    );
    return;
  }
  const header = peekHeader(datagram);
  if (!header) return; // not even a RADIUS header: nothing to answer, nothing to count against a secret
  const key = DuplicateCache.key(rinfo.address, rinfo.port, header.identifier, header.authenticator);
  const seen = duplicates.check(key);
  if (seen.kind === 'replied') {
    socket.send(seen.reply, rinfo.port, rinfo.address);
    return;
  }
  if (seen.kind === 'in-progress') return;

  let answered: Buffer | null | Promise<Buffer | null>;
  try {
    answered = answer(deps, nas, kind, datagram);
  } catch (e) {
    duplicates.settle(key, null);
    throw e;
  }
  if (!(answered instanceof Promise)) {
    send(duplicates, key, socket, rinfo, answered);
    return;
  }
  return answered.then(
    (reply) => send(duplicates, key, socket, rinfo, reply),
    (e: unknown) => {
      duplicates.settle(key, null);
      throw e;
    },
  );
}

/** The reply remembered for retransmissions, then sent; null: nothing sent, and a retransmission is tried again. */
function send(duplicates: DuplicateCache, key: string, socket: dgram.Socket, rinfo: dgram.RemoteInfo, reply: Buffer | null) {
  duplicates.settle(key, reply);
  if (reply) socket.send(reply, rinfo.port, rinfo.address);
}

/** The reply to one verified request from a known NAS, or null to stay silent; a promise while accounting commits. */
function answer(deps: RadiusServerDeps, nas: NasClient, kind: 'auth' | 'acct', datagram: Buffer): Buffer | null | Promise<Buffer | null> {
  const verdict = decodeRequest(datagram, nas.secret, { requireMessageAuthenticator: nas.requireMessageAuthenticator });
  if (!verdict.ok) {
    if (verdict.reason === 'bad-authenticator' || verdict.reason === 'bad-message-authenticator')
      deps.activity.count(nas.id, 'secretMismatches');
    else if (verdict.reason === 'missing-message-authenticator' || verdict.reason === 'proxy-state-without-message-authenticator') {
      deps.activity.count(nas.id, 'missingMessageAuthenticator');
    }
    return null;
  }
  const req = verdict.request;
  if (req.code === RADIUS_CODES['Status-Server']) return replyTo(req, nas, kind === 'auth' ? 'Access-Accept' : 'Accounting-Response');
  if (kind === 'auth' && req.code === RADIUS_CODES['Access-Request']) {
    deps.activity.count(nas.id, 'requests');
    const decision = decideAccess(nas, new RequestAttempt(req, nas), deps.subscribers);
    deps.activity.count(nas.id, decision.accept ? 'accepts' : 'rejects');
    if (!decision.accept)
      // JSON quoting: a User-Name is whatever the CPE typed, and must not be able to start a log line of its own.
      deps.log(`[radius] Access-Reject for ${JSON.stringify(req.userName ?? '')} from NAS ${nas.name}: ${decision.reason}`);
    return replyTo(req, nas, decision.accept ? 'Access-Accept' : 'Access-Reject', decision.attributes);
  }
  if (kind === 'acct' && req.code === RADIUS_CODES['Accounting-Request']) return answerAccounting(deps, nas, req);
  return null;
}

async function answerAccounting(deps: RadiusServerDeps, nas: NasClient, req: RadiusRequest): Promise<Buffer | null> {
  deps.activity.count(nas.id, 'accounting');
  const record = accountingRecord(req);
  if (!STORED_STATUS.has(record.statusType)) return replyTo(req, nas, 'Accounting-Response'); // tunnel / failed-session records: acknowledged, not stored
  try {
    await deps.accounting.write(nas, record);
  } catch {
    return null; // not committed: no reply, so the NAS sends it again
  }
  return replyTo(req, nas, 'Accounting-Response');
}

// Functions and a class rather than closures per request: the TypeScript loader (tsx) names every closure it
// creates with Object.defineProperty, which was 5% of an Access-Request's CPU.
const replyTo = (req: RadiusRequest, nas: NasClient, code: ReplyCodeName, attributes: ReplyAttribute[] = []) =>
  encodeReply({ request: req, code, secret: nas.secret, attributes });

const RECEIVE_BUFFER = 4 * 1024 * 1024;

const STORED_STATUS = new Set<number>([
  AcctStatus.Start,
  AcctStatus.Stop,
  AcctStatus.InterimUpdate,
  AcctStatus.AccountingOn,
  AcctStatus.AccountingOff,
]);

class RequestAttempt implements AccessAttempt {
  readonly userName: string;
  readonly mikrotikRealm: string | undefined;
  readonly method: AccessAttempt['method'];

  constructor(
    private readonly req: RadiusRequest,
    private readonly nas: NasClient,
  ) {
    const method = detectAuthMethod(req);
    this.userName = req.userName ?? '';
    this.mikrotikRealm = req.text('Mikrotik-Realm');
    this.method = method === 'pap' || method === 'chap' || method === 'mschapv2' ? method : 'none';
  }

  checkPassword(password: string) {
    const r = authenticateRequest({ request: this.req, secret: this.nas.secret, password });
    return { ok: r.ok, attributes: r.replyAttributes as ReplyAttribute[] };
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
const str = (v: unknown): string | null => (v === undefined || v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

function accountingRecord(req: RadiusRequest): AccountingRecord {
  const userName = req.userName ?? '';
  const sessionId = req.text('Acct-Session-Id') ?? '';
  const nasIpAddress = str(req.get('NAS-IPv6-Address')) ?? str(req.get('NAS-IP-Address')) ?? undefined;
  const at = userName.lastIndexOf('@');
  const eventTimestamp = req.get('Event-Timestamp');
  return {
    statusType: req.integer('Acct-Status-Type') ?? 0,
    userName,
    sessionId,
    uniqueId: acctUniqueId({
      userName,
      sessionId,
      nasIpAddress,
      nasIdentifier: req.text('NAS-Identifier'),
      nasPortId: req.text('NAS-Port-Id'),
      nasPort: req.integer('NAS-Port'),
    }),
    realm: at >= 0 ? userName.slice(at + 1) : (req.text('Mikrotik-Realm') ?? null),
    nasPortId: req.text('NAS-Port-Id') ?? null,
    nasPortType: str(req.get('NAS-Port-Type')),
    eventTime: eventTime(eventTimestamp instanceof Date ? eventTimestamp : num(eventTimestamp), req.integer('Acct-Delay-Time')),
    sessionTime: req.integer('Acct-Session-Time') ?? null,
    inputOctets: octets(req.integer('Acct-Input-Octets'), req.integer('Acct-Input-Gigawords')),
    outputOctets: octets(req.integer('Acct-Output-Octets'), req.integer('Acct-Output-Gigawords')),
    terminateCause: terminateCauseName(req.integer('Acct-Terminate-Cause')),
    framedIp: str(req.get('Framed-IP-Address')),
    framedIpv6Address: null, // RFC 6911's attribute is in none of the dictionaries we load
    framedIpv6Prefix: str(req.get('Framed-IPv6-Prefix')),
    delegatedIpv6Prefix: str(req.get('Delegated-IPv6-Prefix')),
    framedInterfaceId: null,
    callingStationId: req.text('Calling-Station-Id') ?? null,
    calledStationId: req.text('Called-Station-Id') ?? null,
    serviceType: str(req.get('Service-Type')),
    framedProtocol: str(req.get('Framed-Protocol')),
    acctAuthentic: str(req.get('Acct-Authentic')),
    connectInfo: req.text('Connect-Info') ?? null,
    class: req.text('Class') ?? null,
  };
}
