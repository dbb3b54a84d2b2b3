import type {
  FaultMode,
  PppEndCause,
  SimHotspotLogin,
  SimPoolConfig,
  SimPppActiveConfig,
  SimPppSession,
  SimRadiusConfig,
  SimRadiusIncoming,
  SimRouterConfig,
} from './types';

const COMMAND_LOG_LIMIT = 1000;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** What one simulated router knows and serves; shared by all its API connections. */
export class RouterState {
  readonly host: string;
  readonly username: string;
  readonly password: string;
  readonly identity: string;
  readonly version: string;
  readonly boardName: string;
  readonly loginMode: 'plain' | 'challenge';
  readonly emptyReplies: boolean;
  /** Stable per host, so a demo fleet looks the same on every start. */
  readonly seed: number;
  readonly bootedAt: number;
  pools: SimPoolConfig[];
  radius: SimRadiusConfig[];
  radiusIncoming: SimRadiusIncoming;
  fault: FaultMode;
  slowMs: number;
  readonly commandLog: string[] = [];
  private ppp: SimPppSession[] = [];
  private hotspot: SimHotspotLogin[] = [];
  private nextPppNumber = 0x68;
  /**
   * Session ids move on with the clock (16 a second) so a restarted router does not reuse the ids of the sessions
   * it had before: the RADIUS server keys accounting on them, and a reused one would land on a closed session.
   */
  private readonly sessionIdBase = (Math.floor(Date.now() / 1000) * 16) % 0x1000000;
  /** Told of every session that ends, however it ends (API remove, CoA Disconnect, timeout): accounting Stop. */
  onPppEnded: ((session: SimPppSession, cause: PppEndCause) => void) | null = null;

  constructor(cfg: SimRouterConfig) {
    this.host = cfg.host;
    this.username = cfg.username;
    this.password = cfg.password;
    this.identity = cfg.identity ?? `sim-${cfg.host}`;
    this.version = cfg.version ?? (cfg.loginMode === 'challenge' ? '6.42.12 (long-term)' : '7.14.3 (stable)');
    this.boardName = cfg.boardName ?? 'CCR2004-1G-12S+2XS';
    this.loginMode = cfg.loginMode ?? 'plain';
    this.emptyReplies = cfg.emptyReplies ?? false;
    this.seed = hash(cfg.host);
    // Routers in the field have been up for a while: 1 to 40 days.
    this.bootedAt = Date.now() - (86_400 + (this.seed % (40 * 86_400))) * 1000;
    this.pools = [...(cfg.pools ?? [])];
    this.radius = [...(cfg.radius ?? [])];
    this.radiusIncoming = { ...(cfg.radiusIncoming ?? { accept: false, port: 3799 }) };
    this.fault = cfg.fault ?? 'none';
    this.slowMs = cfg.slowMs ?? 2000;
    this.setPppActive(cfg.pppActive ?? []);
    this.hotspot = (cfg.hotspotActive ?? []).map((h, i) => ({ ...h, id: `*${(0x90000000 + i).toString(16).toUpperCase()}` }));
  }

  get majorVersion(): number {
    return Number.parseInt(this.version, 10) || 7;
  }

  get pppActive(): readonly SimPppSession[] {
    return this.ppp;
  }

  setPppActive(list: SimPppActiveConfig[]): void {
    for (const session of [...this.ppp]) this.removePppActive(session.id, 'Admin-Reset');
    for (const entry of list) this.addPppActive(entry);
  }

  /** A session number taken before the session exists: RADIUS needs its Acct-Session-Id in the Access-Request. */
  reservePppNumber(): number {
    return this.nextPppNumber++;
  }

  addPppActive(entry: SimPppActiveConfig, opened: { number?: number; startedAt?: number; rateLimit?: string } = {}): SimPppSession {
    const n = opened.number ?? this.reservePppNumber();
    const session: SimPppSession = {
      // Dynamic items have the high bit set, as on a real router.
      id: `*${(0x80000000 + n).toString(16).toUpperCase()}`,
      name: entry.name,
      address: entry.address,
      service: entry.service ?? 'pppoe',
      callerId: entry.callerId ?? macFor(entry.name),
      sessionId: this.sessionIdFor(n),
      // Configured sessions look as if they had been up for a while.
      startedAt: opened.startedAt ?? Date.now() - (hash(entry.name) % 86_400) * 1000,
      ...(opened.rateLimit && { rateLimit: opened.rateLimit }),
    };
    this.ppp.push(session);
    return session;
  }

  /** `/ppp active`'s session-id for session number n, e.g. `0x81A2C068`. */
  sessionIdFor(n: number): string {
    return `0x${(0x81000000 + ((this.sessionIdBase + n) % 0x1000000)).toString(16).toUpperCase()}`;
  }

  removePppActive(id: string, cause: PppEndCause = 'Admin-Reset'): boolean {
    const session = this.ppp.find((s) => s.id === id);
    if (!session) return false;
    this.ppp = this.ppp.filter((s) => s !== session);
    this.onPppEnded?.(session, cause);
    return true;
  }

  get hotspotActive(): readonly SimHotspotLogin[] {
    return this.hotspot;
  }

  removeHotspotActive(id: string): boolean {
    const before = this.hotspot.length;
    this.hotspot = this.hotspot.filter((h) => h.id !== id);
    return this.hotspot.length < before;
  }

  updatePppActive(id: string, change: { rateLimit?: string }): boolean {
    const session = this.ppp.find((s) => s.id === id);
    if (!session) return false;
    if (change.rateLimit !== undefined) session.rateLimit = change.rateLimit;
    return true;
  }

  logCommand(command: string): void {
    this.commandLog.push(command);
    if (this.commandLog.length > COMMAND_LOG_LIMIT) this.commandLog.splice(0, this.commandLog.length - COMMAND_LOG_LIMIT);
  }
}

/** RouterOS sends the session-id as Acct-Session-Id in lower-case hex without `0x`: `81000068`. */
export function acctSessionIdOf(session: Pick<SimPppSession, 'sessionId'>): string {
  return session.sessionId.replace(/^0x/i, '').toLowerCase();
}

export function macFor(name: string): string {
  const h = hash(name);
  const bytes = [0x4c, 0x5e, 0x0c, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

export { hash as stableHash };
