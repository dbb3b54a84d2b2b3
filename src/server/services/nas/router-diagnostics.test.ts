import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import type { Actor } from '@/server/auth/actor';
import { makeNas, makeReseller, makeUser } from '@/test/fixtures';
import { runRouterDiagnostic, toolDeadlineMs } from './router-diagnostics';

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
    // Audited on the NAS: who sent what from the router, and what came back.
    const [entry] = await db().execute<{ action: string; summary: string; email: string }>(
      sql`select action, summary, actor_email as email from audit_log where entity_type = 'nas' and entity_id = ${nasId} order by id desc limit 1`,
    );
    expect(entry).toMatchObject({ action: 'nas.ping', email: admin.email });
    expect(entry.summary).toMatch(/^Ping 198\.51\.100\.7 through .+: 2 sent, 2 received/);
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
    await expect(runRouterDiagnostic(admin, { id: generic.id, tool: 'ping', address: '1.1.1.1', count: 1 })).rejects.toThrow(
      /no MikroTik API credentials/,
    );
  });
});

describe('limits', () => {
  it('runs one diagnostic per router at a time, across instances', async () => {
    const slow = runRouterDiagnostic(admin, { id: nasId, tool: 'ping', address: '198.51.100.7', count: 3 });
    await new Promise((r) => setTimeout(r, 300));
    await expect(runRouterDiagnostic(admin, { id: nasId, tool: 'ping', address: '198.51.100.8', count: 1 })).rejects.toThrow(
      /^a diagnostic is already running through .*: wait for it to finish$/,
    );
    expect((await slow).rows).toHaveLength(3);
    // Once it is over, the next one runs.
    await expect(runRouterDiagnostic(admin, { id: nasId, tool: 'ping', address: '198.51.100.8', count: 1 })).resolves.toMatchObject({
      tool: 'ping',
    });
  });

  it('bounds each run by its tool, not by the count the client sends', async () => {
    // Traceroute runs one pass whatever the count says.
    expect(toolDeadlineMs({ tool: 'traceroute', count: 10 })).toBe(toolDeadlineMs({ tool: 'traceroute', count: 1 }));
    expect(toolDeadlineMs({ tool: 'ping', count: 3 })).toBe(5000);
    // A router that answers the login and then stalls is cut off at the ping's own deadline.
    await router.setFault('slow', 60_000);
    try {
      const t = Date.now();
      const e = await runRouterDiagnostic(admin, { id: nasId, tool: 'ping', address: '198.51.100.7', count: 1 }).catch((err: Error) => err);
      expect(e).toBeInstanceOf(Error);
      expect(Date.now() - t).toBeLessThan(toolDeadlineMs({ tool: 'ping', count: 1 }) + 4000);
    } finally {
      await router.setFault('none');
    }
  });
});
