import { DEFAULT_ACCOUNTING, DEFAULT_PAP, type AccountingMethod, type PapMethod } from '../radius/measure';

/** What one bench run builds and how often it measures: the full ISP-scale world, or `--quick` for CI. */
export interface WorldSize {
  nas: number;
  /** Every other NAS (odd ids) is a MikroTik with API credentials; the rest are generic. */
  mikrotik: number;
  resellers: number;
  nasPerReseller: number;
  subscribers: number;
  radacct: number;
  openSessions: number;
  /** Pool addresses per MikroTik NAS; mikrotik × this = all pool assignments. */
  poolPerNas: number;
}

export interface BenchConfig {
  quick: boolean;
  world: WorldSize;
  listCalls: number;
  loadClients: number;
  loadSeconds: number;
  importRuns: number;
  syncRuns: number;
  syncSessions: number;
  heartbeatRuns: number;
  /** Every n-th router of the heartbeat fleet is a black hole: 10 → 100 of 1,000. */
  blackHoleEvery: number;
  testConnBlackHoleRuns: number;
  testConnHealthyRuns: number;
  startRuns: number;
  /** Issue 11's RADIUS figures (bench/radius/measure.ts): the same methods for FreeRADIUS and our service. */
  radius: { pap: PapMethod; accounting: AccountingMethod };
  /** Figure 11: NAS created (and then re-keyed) while two RADIUS processes run. */
  reloadChanges: number;
  /** Figure 12: Interim-Updates per second while figures 1 and 2 are measured (200,000 sessions / 5 min ≈ 667). */
  interimRate: number;
}

function radiusMethods(quick: boolean, subscribers: number): BenchConfig['radius'] {
  return quick
    ? {
        pap: { ...DEFAULT_PAP, subscribers, stepMs: 2_000, warmupMs: 500, maxSteps: 6 },
        accounting: { ...DEFAULT_ACCOUNTING, subscribers, durationMs: 5_000, warmupMs: 2_000 },
      }
    : { pap: { ...DEFAULT_PAP, subscribers }, accounting: { ...DEFAULT_ACCOUNTING, subscribers } };
}

export function benchConfig(quick: boolean): BenchConfig {
  // The RADIUS methods ask for the world's subscriber count.
  const withRadius = (c: Omit<BenchConfig, 'radius'>): BenchConfig => ({ ...c, radius: radiusMethods(c.quick, c.world.subscribers) });
  if (quick) {
    return withRadius({
      quick,
      world: {
        nas: 100,
        mikrotik: 50,
        resellers: 5,
        nasPerReseller: 20,
        subscribers: 50_000,
        radacct: 50_000,
        openSessions: 5_000,
        poolPerNas: 2_000,
      },
      listCalls: 50,
      loadClients: 50,
      loadSeconds: 5,
      importRuns: 2,
      syncRuns: 2,
      syncSessions: 20_000,
      heartbeatRuns: 1,
      blackHoleEvery: 10,
      testConnBlackHoleRuns: 1,
      testConnHealthyRuns: 5,
      startRuns: 1,
      reloadChanges: 10,
      interimRate: 700,
    });
  }
  return withRadius({
    quick,
    world: {
      nas: 1_000,
      mikrotik: 500,
      resellers: 50,
      nasPerReseller: 20,
      subscribers: 500_000,
      radacct: 2_000_000,
      openSessions: 200_000,
      poolPerNas: 2_000,
    },
    listCalls: 200,
    loadClients: 50,
    loadSeconds: 30,
    importRuns: 7,
    syncRuns: 7,
    syncSessions: 20_000,
    heartbeatRuns: 3,
    blackHoleEvery: 10,
    testConnBlackHoleRuns: 5,
    testConnHealthyRuns: 20,
    startRuns: 3,
    reloadChanges: 50,
    interimRate: 700,
  });
}

/** NAS #n answers RADIUS from 127.0.100.0 + n; its simulated router (if any) listens there on 8728. */
export function nasHost(n: number): string {
  const v = (127 << 24) + (100 << 8) + n;
  return `127.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Routers that belong to one figure live on 127.0.104.x, away from the world's fleet. */
export const FIGURE_HOSTS = {
  import: '127.0.104.1',
  blackHole: '127.0.104.2',
  healthy: '127.0.104.3',
  oversize: '127.0.104.4',
} as const;

export const BENCH_SECRET = 'bench-radius-secret';
export const BENCH_API_USER = 'panel';
export const BENCH_API_PASSWORD = 'bench-api-password';
export const RESELLER_EMAIL = 'reseller@bench.local';
export const RESELLER_PASSWORD = 'reseller-bench-password';
