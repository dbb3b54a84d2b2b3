import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import type { Actor } from '@/server/auth/actor';
import { sql } from 'drizzle-orm';
import { db } from '@/server/db/client';
import { makeNas, makeUser } from '@/test/fixtures';
import { testConnection } from './test-connection';

const SECRET = 'tc-radius-secret';
let admin: Actor;
let healthy: SimRouter;
const blackHoleUdp: dgram.Socket[] = [];

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  healthy = await startRouter({
    host: '127.0.71.1',
    apiPort: 0,
    username: 'panel',
    password: 'api-pass',
    identity: 'edge-1',
    version: '7.14.3 (stable)',
    radius: [{ service: 'ppp,login', address: '127.0.0.1', secret: SECRET, authPort: 1812, acctPort: 1813 }],
    radiusIncoming: { accept: true, port: 0 },
    coa: { port: 0, secret: SECRET },
  });
});

afterAll(async () => {
  await healthy.stop();
  for (const s of blackHoleUdp) s.close();
});

const formFor = (r: SimRouter, over: Record<string, unknown> = {}) => ({
  ipAddress: r.host,
  type: 'mikrotik' as const,
  authPort: 1812,
  acctPort: 1813,
  coaPort: r.coaPort!,
  apiUsername: 'panel',
  apiPort: r.apiPort,
  apiSslPort: 8729,
  useSsl: false,
  tlsAllowAnonymous: false,
  apiHost: '',
  secret: SECRET,
  apiPassword: 'api-pass',
  ...over,
});

describe('testConnection', () => {
  it('reports three greens for a router configured for this panel', async () => {
    healthy.setRadiusIncoming({ accept: true, port: healthy.coaPort! });
    const r = await testConnection(admin, { values: formFor(healthy) });
    expect(r.api).toMatchObject({ status: 'ok', summary: 'logged in to RouterOS 7.14.3 (stable) (edge-1)' });
    expect(r.radius.status).toBe('ok');
    expect(r.radius.summary).toMatch(/points at 127\.0\.0\.1 with the same secret and ports/);
    expect(r.coa).toMatchObject({ status: 'ok' });
    expect(r.coa.summary).toMatch(/reachable, secret matches \(Disconnect-NAK/);
    expect(r.ready).toBe(true);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(JSON.stringify(r)).not.toContain('api-pass');
  });

  it('names the exact RADIUS mismatch and a wrong CoA secret', async () => {
    healthy.setRadiusIncoming({ accept: true, port: 3799 });
    const r = await testConnection(admin, { values: formFor(healthy, { secret: 'another-secret', authPort: 1645 }) });
    expect(r.radius.status).toBe('failed');
    expect(r.radius.summary).toContain('secret does not match');
    expect(r.radius.summary).toContain('authentication-port 1812, expected 1645');
    expect(r.radius.details).toContain(`incoming CoA listens on port 3799, but this NAS's CoA Port is ${healthy.coaPort}`);
    // A MikroTik drops CoA it cannot verify: a wrong secret is silence.
    expect(r.coa).toMatchObject({ status: 'failed', summary: 'no answer' });
    expect(JSON.stringify(r)).not.toContain('another-secret');
  });

  it('uses the stored secret and password where the form leaves them empty', async () => {
    healthy.setRadiusIncoming({ accept: true, port: healthy.coaPort! });
    const nas = await makeNas(admin, {
      ipAddress: healthy.host,
      secret: SECRET,
      apiUsername: 'panel',
      apiPassword: 'api-pass',
      apiPort: healthy.apiPort,
      coaPort: healthy.coaPort!,
    });
    const r = await testConnection(admin, { id: nas.id, values: formFor(healthy, { secret: '', apiPassword: '' }) });
    expect(r.ready).toBe(true);
    const byId = await testConnection(admin, { id: nas.id });
    expect(byId.ready).toBe(true);
  });

  it('answers within the deadline for a black hole, never calling silence green', async () => {
    const bh = await startRouter({ host: '127.0.71.2', apiPort: 0, username: 'panel', password: 'x', fault: 'silent' });
    // Silent UDP listeners on the RADIUS and CoA ports: the worst case, no ICMP either.
    const ports: number[] = [];
    for (let i = 0; i < 2; i++) {
      const s = dgram.createSocket('udp4');
      await new Promise<void>((res) => s.bind(0, '127.0.71.2', () => res()));
      blackHoleUdp.push(s);
      ports.push(s.address().port);
    }
    const t = Date.now();
    const r = await testConnection(admin, { values: formFor(bh, { authPort: ports[0], coaPort: ports[1], apiPassword: 'x' }) });
    const elapsed = Date.now() - t;
    expect(elapsed).toBeLessThan(3600);
    expect(r.api.status).toBe('failed');
    expect(r.api.summary).toMatch(/no answer|within/);
    expect(r.radius.status).toBe('warning');
    expect(r.coa).toMatchObject({ status: 'failed', summary: 'no answer' });
    expect(r.ready).toBe(false);
    await bh.stop();
  });

  it('reports closed ports and skips the API for generic NAS rows', async () => {
    const r = await testConnection(admin, {
      values: formFor(healthy, { type: 'generic', ipAddress: '127.0.71.3', authPort: 1812, coaPort: 1700 }),
    });
    expect(r.api).toMatchObject({ status: 'skipped', summary: 'skipped: generic NAS has no RouterOS API' });
    expect(r.radius).toMatchObject({ status: 'failed', summary: 'udp/1812 is closed (ICMP port unreachable)' });
    expect(r.coa).toMatchObject({ status: 'failed', summary: 'udp/1700 is closed (ICMP port unreachable)' });
  });

  it('says what a refused login means', async () => {
    const r = await testConnection(admin, { values: formFor(healthy, { apiPassword: 'wrong' }) });
    expect(r.api.status).toBe('failed');
    expect(r.api.summary).toMatch(/invalid user name or password/);
    expect(r.api.summary).not.toContain('wrong');
  });
});

describe('the RADIUS check says what the RADIUS service has seen', () => {
  const stats = (nasId: number, over: { lastVerified?: string; lastMismatch?: string; mismatches?: number; missingMa?: number }) =>
    db()
      .execute(sql`insert into nas_radius_stats (nas_id, hour, secret_mismatches, missing_message_authenticator, last_verified_at, last_mismatch_at)
      values (${nasId}, date_trunc('hour', now()), ${over.mismatches ?? 0}, ${over.missingMa ?? 0},
              now() - ${over.lastVerified ?? null}::interval, now() - ${over.lastMismatch ?? null}::interval)`);

  it('for a generic BNG: green on a recent verified request, red on secret mismatches, nothing received otherwise', async () => {
    const generic = await makeNas(admin, { type: 'generic', ipAddress: '127.0.71.40', coaPort: 9 });
    const none = await testConnection(admin, { id: generic.id });
    expect(none.radius.details).toContain('RADIUS service: nothing received from this address yet');
    expect(none.radius.status).not.toBe('ok');

    await stats(generic.id, { lastVerified: '14 seconds' });
    const seen = await testConnection(admin, { id: generic.id });
    expect(seen.radius).toMatchObject({ status: 'ok', summary: 'RADIUS service: last verified request 14 s ago' });

    const broken = await makeNas(admin, { type: 'generic', ipAddress: '127.0.71.41', coaPort: 9 });
    await stats(broken.id, { lastVerified: '2 hours', lastMismatch: '5 seconds', mismatches: 12 });
    const mismatch = await testConnection(admin, { id: broken.id });
    expect(mismatch.radius.status).toBe('failed');
    expect(mismatch.radius.summary).toMatch(/^RADIUS service: requests arrive but fail the secret check \(12 since \d\d:00 UTC\)$/);
  });

  it('for a MikroTik read through its API, a secret mismatch seen by the service fails the check even when /radius looks right', async () => {
    healthy.setRadiusIncoming({ accept: true, port: healthy.coaPort! });
    const [nas] = await db().execute<{ id: number }>(sql`select id from nas_devices where ip_address = ${healthy.host}::inet`);
    const values = {
      ipAddress: healthy.host,
      type: 'mikrotik' as const,
      authPort: 1812,
      acctPort: 1813,
      coaPort: healthy.coaPort!,
      apiUsername: 'panel',
      apiPort: healthy.apiPort,
      apiSslPort: 8729,
      useSsl: false,
      tlsAllowAnonymous: false,
      requireMessageAuthenticator: true,
      apiHost: '',
      secret: SECRET,
      apiPassword: 'api-pass',
    };
    const clean = await testConnection(admin, { id: nas.id, values });
    expect(clean.radius.status).toBe('ok');
    await stats(nas.id, { lastMismatch: '3 seconds', mismatches: 4 });
    const r = await testConnection(admin, { id: nas.id, values });
    expect(r.radius.status).toBe('failed');
    expect(r.radius.summary).toMatch(/fail the secret check \(4 since/);
    expect(r.radius.details.join('\n')).toMatch(/points at 127\.0\.0\.1 with the same secret and ports/);
  });
});
