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
  radius?: SimRadiusConfig[];
  radiusIncoming?: SimRadiusIncoming;
  fault?: FaultMode;
  /** Delay per reply in the `slow` fault mode, default 2000 ms. */
  slowMs?: number;
  /** Answer RADIUS Disconnect/CoA for the simulated PPP sessions on this UDP port. */
  coa?: { port: number; secret: string } | null;
}

export interface SimPppSession {
  id: string;
  name: string;
  address: string;
  service: string;
  callerId: string;
  sessionId: string;
  startedAt: number;
}
