import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import type { Actor } from '@/server/auth/actor';
import { makeNas, makeReseller, makeUser } from '@/test/fixtures';
import { runRouterDiagnostic } from './router-diagnostics';

let admin: Actor;
let router: SimRouter;
let nasId: number;

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  router = await startRouter({ host: '127.0.74.1', apiPort: 0, username: 'panel', password: 'p' });
  nasId = (await makeNas(admin, { ipAddress: router.host, apiUsername: 'panel', apiPassword: 'p', apiPort: router.apiPort })).id;
});

afterAll(() => router.stop());

describe('runRouterDiagnostic', () => {
  it('pings through the router, bounded by count', async () => {
    const r = await runRouterDiagnostic(admin, { id: nasId, tool: 'ping', address: '198.51.100.7', count: 2 });
    expect(r.rows).toHaveLength(2);
    expect(r.rows[0]).toMatchObject({ seq: 0, host: '198.51.100.7', status: 'reply' });
    expect(r.summary).toMatch(/^2 sent, 2 received, 0% loss; rtt min\/avg\/max /);
  });

  it('reports lost probes as timeouts', async () => {
    const r = await runRouterDiagnostic(admin, { id: nasId, tool: 'ping', address: '192.0.2.1', count: 1 });
    expect(r.rows[0].status).toBe('timeout');
    expect(r.summary).toMatch(/^1 sent, 0 received, 100% loss/);
  });

  it('traces the route hop by hop', async () => {
    const r = await runRouterDiagnostic(admin, { id: nasId, tool: 'traceroute', address: '198.51.100.7', count: 1 });
    expect(r.rows.length).toBeGreaterThan(1);
    expect(r.rows.at(-1)?.host).toBe('198.51.100.7');
  });

  it('is scoped like the NAS and needs API credentials', async () => {
    const stranger = await makeUser({ role: 'reseller', resellerId: await makeReseller() });
    await expect(runRouterDiagnostic(stranger, { id: nasId, tool: 'ping', address: '1.1.1.1', count: 1 })).rejects.toThrow(/not found/);
    const generic = await makeNas(admin, { type: 'generic' });
    await expect(runRouterDiagnostic(admin, { id: generic.id, tool: 'ping', address: '1.1.1.1', count: 1 })).rejects.toThrow(/no MikroTik API credentials/);
  });
});
