import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/env';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim/index';
import { routerDeadlines } from './deadlines';
import { readSystemInfo, RouterOsError, withRouterOs } from './index';

// Hosts 127.0.52.x belong to this file.
const KEYS = ['ROUTEROS_TIMEOUT_MS', 'RADIUS_PROBE_TIMEOUT_MS'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
const routers: SimRouter[] = [];

function setEnv(values: Partial<Record<(typeof KEYS)[number], string>>) {
  for (const k of KEYS) {
    if (values[k] === undefined) delete process.env[k];
    else process.env[k] = values[k];
  }
  resetEnvCache();
}

afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.stop()));
  setEnv(saved);
});

describe('routerDeadlines', () => {
  it('defaults: 3 s to connect, 10 s a command, Test Connection in 3.4 s with 2 s probes', () => {
    setEnv({});
    const d = routerDeadlines();
    expect(d).toMatchObject({ connectMs: 3000, commandMs: 10_000 });
    expect(d.heartbeat).toEqual({ connectMs: 3000, commandMs: 3000 });
    expect(d.testConnection).toEqual({ connectMs: 3000, commandMs: 1500, totalMs: 3400, probeMs: 2000 });
    expect(d.diagnostic.ping(3)).toEqual({ connectMs: 3000, commandMs: 5000 });
    expect(d.diagnostic.traceroute).toEqual({ connectMs: 3000, commandMs: 30_000 });
  });

  it('follows ROUTEROS_TIMEOUT_MS and RADIUS_PROBE_TIMEOUT_MS in every profile', () => {
    setEnv({ ROUTEROS_TIMEOUT_MS: '1234', RADIUS_PROBE_TIMEOUT_MS: '700' });
    const d = routerDeadlines();
    expect(d.connectMs).toBe(1234);
    expect(d.heartbeat).toEqual({ connectMs: 1234, commandMs: 1234 });
    expect(d.testConnection).toMatchObject({ connectMs: 1234, probeMs: 700 });
    expect(d.diagnostic.ping(1).connectMs).toBe(1234);
    expect(d.diagnostic.traceroute.connectMs).toBe(1234);
  });

  it('keeps the Test Connection probes inside its total, whatever RADIUS_PROBE_TIMEOUT_MS says', () => {
    setEnv({ RADIUS_PROBE_TIMEOUT_MS: '10000' });
    const { testConnection } = routerDeadlines();
    expect(testConnection.probeMs).toBe(testConnection.totalMs - 200);
  });
});

describe('a target without a profile', () => {
  it('connects under ROUTEROS_TIMEOUT_MS', async () => {
    setEnv({ ROUTEROS_TIMEOUT_MS: '300' });
    const r = await startRouter({ host: '127.0.52.1', apiPort: 0, username: 'panel', password: 'pw', fault: 'silent' });
    routers.push(r);
    const started = Date.now();
    const err = await withRouterOs({ host: r.host, port: r.apiPort, username: 'panel', password: 'pw', tls: false }, readSystemInfo).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RouterOsError);
    expect((err as RouterOsError).message).toContain('within 0.3 s (TCP connected, API login not answered)');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
