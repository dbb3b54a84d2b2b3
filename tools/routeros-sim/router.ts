import net, { type Server, type Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { startCoaResponder } from './coa-responder';
import { PppRadiusClient } from './radius-client';
import type { RadiusMonitor } from './radius-transport';
import { ApiSession } from './session';
import { RouterState } from './state';
import { generateSimCertificate, simAnonymousContext, simSecureContext } from './tls-cert';
import {
  FAULT_MODES,
  type FaultMode,
  type SimPoolConfig,
  type SimPppActiveConfig,
  type SimPppSession,
  type SimRadiusConfig,
  type SimRadiusIncoming,
  type SimRouterConfig,
} from './types';

export interface SimRouter {
  readonly host: string;
  readonly apiPort: number;
  /** null when the router has no api-ssl listener. */
  readonly apiSslPort: number | null;
  /** UDP port answering Disconnect/CoA, null without `coa`. */
  readonly coaPort: number | null;
  readonly identity: string;
  readonly fault: FaultMode;
  /** Command paths received, oldest first (last 1000). Login words are never recorded. */
  readonly commandLog: string[];
  /** API connections currently open (plain + TLS). */
  readonly openConnections: number;
  /** API connections accepted since start (plain + TLS): proves a client did not connect at all. */
  readonly acceptedConnections: number;
  /** api-ssl handshakes completed since start: shows whether a client could agree on a cipher at all. */
  readonly tlsHandshakes: number;
  /** SHA-256 fingerprint (`AB:CD:…`) of the api-ssl certificate; null without api-ssl or with `certificate=none`. */
  readonly tlsFingerprint: string | null;
  /**
   * Replaces the api-ssl certificate with a new self-signed one (new fingerprint), for connections
   * accepted from now on; resolves with the new fingerprint.
   */
  renewCertificate(): Promise<string>;
  getPools(): SimPoolConfig[];
  setPools(pools: SimPoolConfig[]): void;
  getPppActive(): SimPppSession[];
  getHotspotActive(): { id: string; user: string; address: string | null }[];
  setPppActive(sessions: SimPppActiveConfig[]): void;
  addPppActive(session: SimPppActiveConfig): SimPppSession;
  /** As `/ppp active remove` does (a RADIUS session's Stop says Admin-Reset). */
  removePppActive(id: string): boolean;
  /** The subscriber's CPE ends the session itself (a RADIUS session's Stop says User-Request). */
  hangUpPpp(id: string): boolean;
  /** The RADIUS client's counters (`/radius monitor`); null without `radiusClient`. */
  readonly radiusMonitor: RadiusMonitor | null;
  getRadius(): SimRadiusConfig[];
  setRadius(servers: SimRadiusConfig[]): void;
  setRadiusIncoming(incoming: SimRadiusIncoming): void;
  /**
   * Switches the fault mode at once for new replies on every connection. Resolves when the
   * listeners match the mode (`refuse` closes them, leaving it reopens them on the same ports).
   */
  setFault(fault: FaultMode, slowMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new Error(`simulated router cannot listen on ${host}:${port}: ${err.code ?? err.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
}

class SimRouterImpl implements SimRouter {
  private readonly state: RouterState;
  private readonly connections = new Set<Socket>();
  private api: Server | null = null;
  private apiSsl: Server | null = null;
  private coa: { port: number; stop(): Promise<void> } | null = null;
  private radiusClient: PppRadiusClient | null = null;
  private secureContext: SecureContext | null = null;
  private fingerprint: string | null = null;
  private transition: Promise<void> = Promise.resolve();
  private stopped = false;
  private accepted = 0;
  private handshakes = 0;
  apiPort: number;
  apiSslPort: number | null;

  constructor(
    private readonly cfg: SimRouterConfig,
    private readonly opts: StartRouterOptions = {},
  ) {
    if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(cfg.host)) {
      throw new Error(`simulated router host must be a loopback address 127.x.y.z, got "${cfg.host}"`);
    }
    if (cfg.fault && !FAULT_MODES.includes(cfg.fault)) throw new Error(`unknown fault mode "${cfg.fault}"`);
    this.state = new RouterState(cfg);
    this.apiPort = cfg.apiPort ?? 8728;
    this.apiSslPort = cfg.apiSslPort ?? null;
  }

  get host() {
    return this.state.host;
  }
  get identity() {
    return this.state.identity;
  }
  get fault() {
    return this.state.fault;
  }
  get commandLog() {
    return this.state.commandLog;
  }
  get openConnections() {
    return this.connections.size;
  }
  get acceptedConnections() {
    return this.accepted;
  }
  get tlsHandshakes() {
    return this.handshakes;
  }
  get tlsFingerprint() {
    return this.fingerprint;
  }
  get coaPort() {
    return this.coa?.port ?? null;
  }
  get radiusMonitor() {
    return this.radiusClient?.monitor ?? null;
  }

  async start(): Promise<void> {
    try {
      await this.openListeners();
      if (this.state.fault === 'refuse') await this.closeListeners();
      if (this.cfg.coa) {
        this.coa = await startCoaResponder({
          host: this.host,
          port: this.cfg.coa.port,
          secret: this.cfg.coa.secret,
          getSessions: () => this.state.pppActive.map(({ id, name, address, sessionId }) => ({ id, name, address, sessionId })),
          removeSession: (id) => {
            this.state.removePppActive(id, 'Admin-Reset');
          },
          updateSession: (id, change) => {
            this.state.updatePppActive(id, change);
          },
        });
      }
      if (this.cfg.radiusClient) {
        const log = this.opts.log;
        this.radiusClient = await PppRadiusClient.start(
          this.state,
          this.cfg.radiusClient,
          log && ((line) => log(`[${this.identity}] ${line}`)),
        );
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  getPools() {
    return this.state.pools.map((p) => ({ ...p }));
  }
  setPools(pools: SimPoolConfig[]) {
    this.state.pools = pools.map((p) => ({ ...p }));
  }
  getPppActive() {
    return this.state.pppActive.map((s) => ({ ...s }));
  }
  getHotspotActive() {
    return this.state.hotspotActive.map((h) => ({ id: h.id, user: h.user, address: h.address }));
  }
  setPppActive(sessions: SimPppActiveConfig[]) {
    this.state.setPppActive(sessions);
  }
  addPppActive(session: SimPppActiveConfig) {
    return { ...this.state.addPppActive(session) };
  }
  removePppActive(id: string) {
    return this.state.removePppActive(id, 'Admin-Reset');
  }
  hangUpPpp(id: string) {
    return this.state.removePppActive(id, 'User-Request');
  }
  getRadius() {
    return this.state.radius.map((r) => ({ ...r }));
  }
  setRadius(servers: SimRadiusConfig[]) {
    this.state.radius = servers.map((r) => ({ ...r }));
  }
  setRadiusIncoming(incoming: SimRadiusIncoming) {
    this.state.radiusIncoming = { ...incoming };
  }

  setFault(fault: FaultMode, slowMs?: number): Promise<void> {
    if (!FAULT_MODES.includes(fault)) return Promise.reject(new Error(`unknown fault mode "${fault}"`));
    const previous = this.state.fault;
    this.state.fault = fault;
    if (slowMs !== undefined) this.state.slowMs = slowMs;
    if ((previous === 'refuse') === (fault === 'refuse')) return this.transition;
    // Serialised, so quick refuse/none toggles cannot interleave close and listen.
    this.transition = this.transition.then(() => (fault === 'refuse' ? this.closeListeners() : this.openListeners()));
    const done = this.transition;
    // Callers may ignore the promise; a failed re-listen must not become an unhandled rejection.
    done.catch(() => {});
    return done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // First, so the sessions' Stops and Accounting-Off leave while the router is still "up".
    await this.radiusClient?.stop();
    // A pending refuse -> none switch must not reopen listeners after we closed them.
    await this.transition.catch(() => {});
    await this.closeListeners();
    await this.coa?.stop();
    this.coa = null;
  }

  private async openListeners(): Promise<void> {
    if (this.stopped) return;
    this.api = net.createServer((socket) => this.accept(socket, false));
    this.apiPort = await listen(this.api, this.host, this.apiPort);
    if (this.apiSslPort !== null) {
      if (!this.secureContext && this.cfg.apiSslCertificate === 'none') this.secureContext = simAnonymousContext();
      if (!this.secureContext) this.useCertificate(await simSecureContext());
      this.apiSsl = net.createServer((socket) => this.accept(socket, true));
      this.apiSslPort = await listen(this.apiSsl, this.host, this.apiSslPort);
    }
  }

  async renewCertificate(): Promise<string> {
    if (this.apiSslPort === null) throw new Error('this simulated router has no api-ssl listener');
    const certificate = await generateSimCertificate();
    this.useCertificate(certificate);
    return certificate.fingerprint256;
  }

  private useCertificate(certificate: { context: SecureContext; fingerprint256: string }): void {
    this.secureContext = certificate.context;
    this.fingerprint = certificate.fingerprint256;
  }

  /** A router that is down: nothing listens, and open sessions die with it. */
  private async closeListeners(): Promise<void> {
    const servers = [this.api, this.apiSsl].filter((s): s is Server => s !== null);
    this.api = null;
    this.apiSsl = null;
    for (const socket of this.connections) socket.destroy();
    await Promise.all(servers.map(closeServer));
  }

  private accept(raw: Socket, tls: boolean): void {
    raw.setNoDelay(true);
    // A client vanishing mid-write is routine for a router, not a simulator crash.
    raw.on('error', () => {});
    this.accepted++;
    this.connections.add(raw);
    raw.once('close', () => this.connections.delete(raw));
    if (tls && this.state.fault === 'silent') return;

    const io = tls && this.secureContext ? this.wrapTls(raw, this.secureContext) : raw;
    const session = new ApiSession(this.state, io, raw);
    io.on('data', (chunk: Buffer) => session.onData(chunk));
    io.once('close', () => session.dispose());
  }

  private wrapTls(raw: Socket, secureContext: SecureContext): TLSSocket {
    const socket = new TLSSocket(raw, { isServer: true, secureContext });
    socket.on('error', () => raw.destroy());
    socket.once('secure', () => this.handshakes++);
    return socket;
  }
}

export interface StartRouterOptions {
  /** What the RADIUS client does (sessions opened, rejects, unanswered requests); never a password. */
  log?: (line: string) => void;
}

export async function startRouter(cfg: SimRouterConfig, opts: StartRouterOptions = {}): Promise<SimRouter> {
  const router = new SimRouterImpl(cfg, opts);
  await router.start();
  return router;
}
