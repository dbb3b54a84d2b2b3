export type FaultMode = 'none' | 'refuse' | 'silent' | 'reset' | 'garbage' | 'slow' | 'fragment' | 'fatal';

export const FAULT_MODES: readonly FaultMode[] = ['none', 'refuse', 'silent', 'reset', 'garbage', 'slow', 'fragment', 'fatal'];

export interface SimPoolConfig {
  name: string;
  /** As RouterOS writes it: comma-joined `a-b` ranges, single addresses, CIDR. */
  ranges: string;
}

export interface SimPppActiveConfig {
  name: string;
  address: string;
  service?: string;
  callerId?: string;
}

/** A hotspot login (`/ip hotspot active`): a user logged in through the captive portal, not a PPP session. */
export interface SimHotspotActiveConfig {
  user: string;
  address: string | null;
  macAddress?: string;
}

/** A hotspot login as the router holds it, with its item id. */
export type SimHotspotLogin = SimHotspotActiveConfig & { id: string };

export interface SimRadiusConfig {
  /** Comma-joined, as RouterOS prints it: `ppp,login`. */
  service: string;
  address: string;
  secret: string;
  authPort?: number;
  acctPort?: number;
  disabled?: boolean;
}

export interface SimRadiusIncoming {
  accept: boolean;
  port: number;
}

export interface SimRouterConfig {
  /** A loopback address, 127.x.y.z: every simulated router gets its own. */
  host: string;
  /** Default 8728; 0 picks a free port. */
  apiPort?: number;
  /** api-ssl port; null or absent = no TLS listener; 0 picks a free port. */
  apiSslPort?: number | null;
  /** `self-signed` (default) or `none`: like RouterOS without a certificate, anonymous DH suites only. */
  apiSslCertificate?: 'self-signed' | 'none';
  username: string;
  password: string;
  identity?: string;
  /** As `/system/resource/print` shows it, e.g. `7.14.3 (stable)`. Decides v6 or v7 error texts. */
  version?: string;
  boardName?: string;
  /** `challenge` = pre-6.43 MD5 login. */
  loginMode?: 'plain' | 'challenge';
  /** RouterOS >= 7.18: an empty print answers `!empty` before `!done`. */
  emptyReplies?: boolean;
  pools?: SimPoolConfig[];
  pppActive?: SimPppActiveConfig[];
  hotspotActive?: SimHotspotActiveConfig[];
  radius?: SimRadiusConfig[];
  radiusIncoming?: SimRadiusIncoming;
  fault?: FaultMode;
  /** Delay per reply in the `slow` fault mode, default 2000 ms. */
  slowMs?: number;
  /** Answer RADIUS Disconnect/CoA for the simulated PPP sessions on this UDP port. */
  coa?: { port: number; secret: string } | null;
  /** The PPPoE server's RADIUS client: subscribers dial in through a RADIUS server (see radius-client.ts). */
  radiusClient?: SimRadiusClientConfig | null;
}

export type SimAuthMethod = 'pap' | 'chap' | 'mschapv2';

/** A subscriber's CPE dialling the simulated PPPoE server. */
export interface SimRadiusSubscriber {
  name: string;
  password: string;
  method: SimAuthMethod;
  /** The CPE's MAC (Calling-Station-Id); derived from the name when absent. */
  callerId?: string;
}

export interface SimRadiusClientConfig {
  /** The RADIUS server's address; requests leave from the router's own `host`. */
  server: string;
  /** Default 1812. */
  authPort?: number;
  /** Default 1813. */
  acctPort?: number;
  secret: string;
  subscribers: SimRadiusSubscriber[];
  /** Interim-Update period when the Access-Accept carries no Acct-Interim-Interval; 0 or absent = none. */
  interimSeconds?: number;
  /** Wait for a reply before sending again (default 3000 ms)… */
  timeoutMs?: number;
  /** …this many times (default 2, so three sends in all). */
  retries?: number;
  /** A CPE dials again this long after a reject, a silent server or a disconnect (default 10 s; 0 = never). */
  redialSeconds?: number;
  /** Accounting-On when the router starts, Accounting-Off when it stops (default true). */
  accountingOnOff?: boolean;
  /** Message-Authenticator in Access-Requests; default: RouterOS >= 7.15 sends it. */
  messageAuthenticator?: boolean;
  /** Drop Access replies without Message-Authenticator (`/radius require-message-auth`); default as above. */
  requireMessageAuthenticator?: boolean;
  /** The PPP profile's remote-address pool, used when the reply names none; default the router's first pool. */
  pool?: string;
  /** NAS-Port-Id: the interface the PPPoE server listens on (default `ether2`). */
  interface?: string;
  /** Called-Station-Id: the PPPoE service name (default `pppoe-service`). */
  serviceName?: string;
}

export interface SimPppSession {
  id: string;
  name: string;
  address: string;
  service: string;
  callerId: string;
  sessionId: string;
  startedAt: number;
  /** Mikrotik-Rate-Limit from RADIUS (`rx/tx …`, the router's view): a dynamic simple queue shows it. */
  rateLimit?: string;
}

/** Why a PPP session ended, as Acct-Terminate-Cause names it. */
export type PppEndCause = 'User-Request' | 'Admin-Reset' | 'Admin-Reboot' | 'Session-Timeout' | 'Lost-Carrier';
