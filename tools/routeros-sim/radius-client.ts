// The simulated router's PPPoE server asking RADIUS, as RouterOS does (`/ppp aaa use-radius=yes accounting=yes`):
// each configured subscriber's CPE dials in, the router sends an Access-Request with MikroTik's attributes, opens a
// `/ppp active` session on Access-Accept, and reports it with Accounting Start, Interim-Update and Stop.
// Packets are built and replies verified by the panel's NAS-side helpers (src/server/integrations/radius/client.ts).
import { encodeAccessRequest, encodeAccountingRequest, type Credentials } from '../../src/server/integrations/radius/client';
import type { AttributeInput } from '../../src/server/integrations/radius/encode-attributes';
import type { RadiusMessage } from '../../src/server/integrations/radius/message';
import { msChap2SuccessMatches } from '../../src/server/integrations/radius/mschapv2';
import { allocateFromPool } from './pool-allocator';
import { RadiusTransport, type ExchangeResult, type RadiusMonitor } from './radius-transport';
import { acctSessionIdOf, macFor, type RouterState } from './state';
import { SessionTraffic, splitOctets } from './traffic';
import type { PppEndCause, SimPppSession, SimRadiusClientConfig, SimRadiusSubscriber } from './types';

const CODE = { AccessAccept: 2, AccessReject: 3, AccessChallenge: 11 };
/** RouterOS numbers PPPoE NAS-Ports from here up. */
const NAS_PORT_BASE = 0xf00000;
/** Framed-IP-Address values meaning "the NAS picks one" (RFC 2865 §5.8). */
const NAS_ASSIGNS = new Set(['255.255.255.254', '255.255.255.255']);
const PACKET_COUNTER_WRAP = 2 ** 32;
/** Node fires a longer timer after 1 ms: a server's 30-day Session-Timeout must not become a 1 ms one. */
const MAX_TIMER_S = Math.floor(0x7fffffff / 1000);
/** How long a stopping router waits for the answer to its Accounting-Off. */
const OFF_GRACE_MS = 300;

interface LiveSession {
  session: SimPppSession;
  acctSessionId: string;
  nasPort: number;
  traffic: SessionTraffic;
  /** Class values of the Access-Accept, echoed in every accounting packet (RFC 2865 §5.25). */
  classes: Buffer[];
  timers: NodeJS.Timeout[];
}

interface Line {
  subscriber: SimRadiusSubscriber;
  callerId: string;
  live: LiveSession | null;
  redial: NodeJS.Timeout | null;
}

export class PppRadiusClient {
  private readonly lines: Line[];
  private readonly bySessionId = new Map<string, Line>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly authPort: number;
  private readonly acctPort: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly redialMs: number;
  private readonly messageAuthenticator: boolean;
  private readonly requireMessageAuthenticator: boolean;
  private booting: Promise<void> = Promise.resolve();
  private stopping = false;
  private stopped: Promise<void> | null = null;

  private constructor(
    private readonly state: RouterState,
    private readonly cfg: SimRadiusClientConfig,
    private readonly transport: RadiusTransport,
    private readonly log: (line: string) => void,
  ) {
    const blastRadiusAware = routerOsAtLeast(state.version, 7, 15);
    this.authPort = cfg.authPort ?? 1812;
    this.acctPort = cfg.acctPort ?? 1813;
    this.timeoutMs = cfg.timeoutMs ?? 3000;
    this.retries = cfg.retries ?? 2;
    this.redialMs = (cfg.redialSeconds ?? 10) * 1000;
    this.messageAuthenticator = cfg.messageAuthenticator ?? blastRadiusAware;
    this.requireMessageAuthenticator = cfg.requireMessageAuthenticator ?? blastRadiusAware;
    this.lines = cfg.subscribers.map((subscriber) => ({
      subscriber,
      callerId: subscriber.callerId ?? macFor(subscriber.name),
      live: null,
      redial: null,
    }));
    state.onPppEnded = (session, cause) => this.onSessionEnded(session, cause);
  }

  /** Opens the socket (an error here is the caller's: the address is not usable), then boots in the background. */
  static async start(state: RouterState, cfg: SimRadiusClientConfig, log: (line: string) => void = () => {}): Promise<PppRadiusClient> {
    const transport = await RadiusTransport.open(state.host, cfg.server, cfg.secret);
    const client = new PppRadiusClient(state, cfg, transport, log);
    client.booting = client.boot();
    return client;
  }

  get monitor(): RadiusMonitor {
    return { ...this.transport.monitor };
  }

  /** Ends every session (Stop, Admin-Reboot) and says Accounting-Off, waiting at most about one timeout for answers. */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  // --- boot and dialling --------------------------------------------------------------------------------

  /**
   * Accounting-On first, answered or given up on, before any Start: a server that closes the NAS's sessions on
   * Accounting-On must not close the ones opened after it.
   */
  private async boot(): Promise<void> {
    if (this.cfg.accountingOnOff ?? true) await this.sendAccounting('Accounting-On', () => this.nasAttributes(), 'Accounting-On');
    for (const line of this.lines) this.startDial(line);
  }

  /** Nothing a dial does may escape as an unhandled rejection: the simulator must outlive its own bugs. */
  private startDial(line: Line): void {
    line.redial = null;
    this.dial(line).catch((err: unknown) => {
      this.log(`${line.subscriber.name}: dial failed: ${err instanceof Error ? err.message : String(err)}`);
      this.scheduleRedial(line);
    });
  }

  private async dial(line: Line): Promise<void> {
    if (this.stopping || line.live) return;
    const { subscriber } = line;
    const number = this.state.reservePppNumber();
    const acctSessionId = acctSessionIdOf({ sessionId: this.state.sessionIdFor(number) });
    const nasPort = NAS_PORT_BASE + number;
    let expectedSuccess: string | undefined;

    const result = await this.track(
      this.transport.exchange({
        port: this.authPort,
        timeoutMs: this.timeoutMs,
        retries: this.retries,
        requireMessageAuthenticator: this.requireMessageAuthenticator,
        encode: (identifier) => {
          const request = encodeAccessRequest({
            identifier,
            secret: this.cfg.secret,
            userName: subscriber.name,
            credentials: credentialsOf(subscriber),
            messageAuthenticator: this.messageAuthenticator,
            attributes: [...this.sessionAttributes(line, nasPort), ['Acct-Session-Id', acctSessionId], ...this.nasAttributes()],
          });
          expectedSuccess = request.msChapV2?.expectedAuthenticatorResponse;
          return request.packet;
        },
      }),
    );
    if (this.stopping) return;
    if (result.kind !== 'reply') {
      this.log(`${subscriber.name}: Access-Request ${describeFailure(result)}`);
      return this.scheduleRedial(line);
    }
    const { reply } = result;
    if (reply.code !== CODE.AccessAccept) {
      this.transport.monitor.rejects++;
      const message = reply.get('Reply-Message');
      const what = reply.code === CODE.AccessReject ? 'Access-Reject' : `${reply.codeName} (PPP cannot answer a challenge)`;
      this.log(`${subscriber.name}: ${what}${typeof message === 'string' ? `: ${message}` : ''}`);
      return this.scheduleRedial(line);
    }
    this.transport.monitor.accepts++;
    // The CPE checks the server's MS-CHAPv2 proof itself and hangs up when it is wrong.
    if (subscriber.method === 'mschapv2') {
      const success = reply.raw('MS-CHAP2-Success');
      if (!success || !expectedSuccess || !msChap2SuccessMatches(success, expectedSuccess)) {
        this.log(`${subscriber.name}: Access-Accept without a valid MS-CHAP2-Success: the CPE hangs up`);
        return this.scheduleRedial(line);
      }
    }
    this.open(line, reply, { number, acctSessionId, nasPort });
  }

  private open(line: Line, reply: RadiusMessage, ids: { number: number; acctSessionId: string; nasPort: number }): void {
    const { subscriber } = line;
    const address = this.addressFor(reply);
    if (!address.ok) {
      this.log(`${subscriber.name}: accepted, but ${address.why}: the connection is refused`);
      return this.scheduleRedial(line);
    }
    const rateLimit = reply.get('Mikrotik-Rate-Limit');
    const startedAt = Date.now();
    const session = this.state.addPppActive(
      { name: subscriber.name, address: address.ip, service: 'pppoe', callerId: line.callerId },
      { number: ids.number, startedAt, ...(typeof rateLimit === 'string' && { rateLimit }) },
    );
    const live: LiveSession = {
      session,
      acctSessionId: ids.acctSessionId,
      nasPort: ids.nasPort,
      traffic: new SessionTraffic(subscriber.name, startedAt),
      classes: reply.rawAll('Class'),
      timers: [],
    };
    line.live = live;
    this.bySessionId.set(session.id, line);
    this.log(`${subscriber.name}: connected, ${address.ip}${session.rateLimit ? `, rate-limit ${session.rateLimit}` : ''}`);

    void this.sendAccounting('Start', () => this.accountingAttributes(line, live, 'Start'), `Start for ${subscriber.name}`);
    const interimS = Math.min(reply.acctInterimInterval || this.cfg.interimSeconds || 0, MAX_TIMER_S);
    if (interimS > 0) {
      const interim = () => this.accountingAttributes(line, live, 'Interim-Update');
      live.timers.push(
        setInterval(() => void this.sendAccounting('Interim-Update', interim, `Interim-Update for ${subscriber.name}`), interimS * 1000),
      );
    }
    const sessionTimeoutS = reply.get('Session-Timeout');
    if (typeof sessionTimeoutS === 'number' && sessionTimeoutS > 0 && sessionTimeoutS <= MAX_TIMER_S) {
      live.timers.push(setTimeout(() => this.state.removePppActive(session.id, 'Session-Timeout'), sessionTimeoutS * 1000));
    }
  }

  /** Framed-IP-Address wins over Framed-Pool; without either the PPP profile's pool. */
  private addressFor(reply: RadiusMessage): { ok: true; ip: string } | { ok: false; why: string } {
    const framed = reply.framedIpAddress;
    if (framed && !NAS_ASSIGNS.has(framed)) return { ok: true, ip: framed };
    const framedPool = reply.get('Framed-Pool');
    const pool = typeof framedPool === 'string' && framedPool ? framedPool : (this.cfg.pool ?? this.state.pools[0]?.name);
    if (!pool) return { ok: false, why: 'no Framed-IP-Address, no Framed-Pool and the router has no pool' };
    const inUse = new Set(this.state.pppActive.map((s) => s.address));
    const ip = allocateFromPool(this.state.pools, pool, inUse);
    if (ip) return { ok: true, ip };
    const exists = this.state.pools.some((p) => p.name === pool);
    return { ok: false, why: exists ? `pool "${pool}" has no free address` : `there is no pool "${pool}" on this router` };
  }

  private scheduleRedial(line: Line): void {
    if (this.stopping || this.redialMs <= 0 || line.redial) return;
    line.redial = setTimeout(() => this.startDial(line), this.redialMs);
  }

  /** However the session ended (API remove, CoA Disconnect, Session-Timeout, router stopping): Stop, then redial. */
  private onSessionEnded(session: SimPppSession, cause: PppEndCause): void {
    try {
      this.endSession(session, cause);
    } catch (err) {
      // Called from inside API commands and the CoA responder: their reply must not depend on accounting.
      this.log(`${session.name}: accounting Stop failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private endSession(session: SimPppSession, cause: PppEndCause): void {
    const line = this.bySessionId.get(session.id);
    if (!line?.live || line.live.session !== session) return; // a session this client did not open
    const live = line.live;
    this.bySessionId.delete(session.id);
    line.live = null;
    for (const timer of live.timers) clearTimeout(timer);
    this.log(`${session.name}: disconnected (${cause})`);
    // The counters are read now, when the link went down, not when a retry is sent.
    const final = this.accountingAttributes(line, live, 'Stop', cause);
    void this.sendAccounting('Stop', () => final, `Stop for ${session.name}`);
    this.scheduleRedial(line);
  }

  // --- accounting -----------------------------------------------------------------------------------------

  /**
   * Never rejects (attributes are built inside the exchange, so a failure there is reported, not thrown); while
   * stopping, one try within the stop grace instead of the full retry schedule.
   */
  private async sendAccounting(status: string, attributes: () => AttributeInput[], what: string): Promise<ExchangeResult> {
    const quick = this.stopping;
    this.transport.monitor.accountingRequests++;
    const result = await this.track(
      this.transport.exchange({
        port: this.acctPort,
        timeoutMs: quick ? this.stopGraceMs : this.timeoutMs,
        retries: quick ? 0 : this.retries,
        encode: (identifier) =>
          encodeAccountingRequest({
            identifier,
            secret: this.cfg.secret,
            attributes: [['Acct-Status-Type', status], ...attributes(), ['Event-Timestamp', new Date()], ['Acct-Delay-Time', 0]],
          }),
      }),
    );
    if (result.kind === 'reply') this.transport.monitor.accountingResponses++;
    else if (result.kind !== 'closed') this.log(`accounting ${what} ${describeFailure(result)}`);
    return result;
  }

  private accountingAttributes(
    line: Line,
    live: LiveSession,
    status: 'Start' | 'Interim-Update' | 'Stop',
    cause?: PppEndCause,
  ): AttributeInput[] {
    const now = Date.now();
    const { session } = live;
    const attributes: AttributeInput[] = [
      ['User-Name', session.name],
      ['Acct-Session-Id', live.acctSessionId],
      ['Acct-Authentic', 'RADIUS'],
      ...this.sessionAttributes(line, live.nasPort),
      ['Framed-IP-Address', session.address],
      ...this.nasAttributes(),
      ...live.classes.map((value): AttributeInput => ['Class', value]),
    ];
    if (status !== 'Start') {
      const counters = live.traffic.read(session.rateLimit, now);
      const input = splitOctets(counters.inOctets);
      const output = splitOctets(counters.outOctets);
      attributes.push(
        ['Acct-Session-Time', Math.floor((now - session.startedAt) / 1000)],
        ['Acct-Input-Octets', input.octets],
        ['Acct-Input-Gigawords', input.gigawords],
        ['Acct-Input-Packets', counters.inPackets % PACKET_COUNTER_WRAP],
        ['Acct-Output-Octets', output.octets],
        ['Acct-Output-Gigawords', output.gigawords],
        ['Acct-Output-Packets', counters.outPackets % PACKET_COUNTER_WRAP],
      );
    }
    if (cause) attributes.push(['Acct-Terminate-Cause', cause]);
    return attributes;
  }

  // --- attributes -----------------------------------------------------------------------------------------

  /** What describes the PPPoE link: the same in the Access-Request and every accounting packet of it. */
  private sessionAttributes(line: Line, nasPort: number): AttributeInput[] {
    return [
      ['Service-Type', 'Framed-User'],
      ['Framed-Protocol', 'PPP'],
      ['NAS-Port', nasPort],
      ['NAS-Port-Type', 'Ethernet'],
      ['NAS-Port-Id', this.cfg.interface ?? 'ether2'],
      ['Calling-Station-Id', line.callerId],
      ['Called-Station-Id', this.cfg.serviceName ?? 'pppoe-service'],
    ];
  }

  private nasAttributes(): AttributeInput[] {
    return [
      ['NAS-Identifier', this.state.identity],
      ['NAS-IP-Address', this.state.host],
    ];
  }

  // --- stopping -------------------------------------------------------------------------------------------

  private get stopGraceMs(): number {
    return Math.min(this.timeoutMs, 1000);
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    for (const line of this.lines) if (line.redial) clearTimeout(line.redial);
    for (const line of this.lines) if (line.live) this.state.removePppActive(line.live.session.id, 'Admin-Reboot');
    // Accounting-Off after the Stops are answered: sent together, the server might close the sessions with
    // NAS-Reboot before the Stops with their final counters arrive.
    await this.settleWithin(this.stopGraceMs);
    if (this.cfg.accountingOnOff ?? true) {
      void this.sendAccounting('Accounting-Off', () => this.nasAttributes(), 'Accounting-Off');
      await this.settleWithin(OFF_GRACE_MS);
    }
    if (this.state.onPppEnded) this.state.onPppEnded = null;
    await this.transport.close();
    await this.booting;
  }

  /** Waits for what is in flight, at most ms. */
  private async settleWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    promise.finally(() => this.inFlight.delete(promise)).catch(() => {});
    return promise;
  }
}

function credentialsOf(subscriber: SimRadiusSubscriber): Credentials {
  return { method: subscriber.method, password: subscriber.password };
}

function describeFailure(result: Exclude<ExchangeResult, { kind: 'reply' }>): string {
  switch (result.kind) {
    case 'timeout':
      return result.rejected.length > 0
        ? `got no valid reply in ${result.sends} tries (${result.rejected.length} dropped: ${[...new Set(result.rejected)].join(', ')})`
        : `got no reply in ${result.sends} tries`;
    case 'busy':
      return 'not sent: 256 requests already in flight';
    case 'error':
      return `not sent: ${result.detail}`;
    case 'closed':
      return 'abandoned: the router is stopping';
  }
}

/** `7.15.2 (stable)` ≥ 7.15. */
function routerOsAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(/[.\s]/).map((n) => Number.parseInt(n, 10) || 0);
  return a > major || (a === major && b >= minor);
}
