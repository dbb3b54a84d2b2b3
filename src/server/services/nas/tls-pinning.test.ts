import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import type { Actor } from '@/server/auth/actor';
import { normalizeFingerprint } from '@/server/integrations/routeros';
import { getPoolStatus, requestPoolImport } from '@/server/services/pools/pool-status';
import { drainPoolImports } from '@/server/jobs/pool-import';
import { callerFor, makeNas, makeUser } from '@/test/fixtures';
import { heartbeatSweep } from './heartbeat';

/**
 * api-ssl pinning as the services use it: the first certificate a NAS's router presents is pinned; a
 * different one stops every use of the API (imports, heartbeat, Test Connection) before the login sends the
 * password, is recorded, and is trusted only by someone with nas.edit naming the fingerprint they saw.
 */
let admin: Actor;
let router: SimRouter;
let anon: SimRouter;
const logins = (r: SimRouter) => r.commandLog.filter((c) => c === '/login').length;

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  router = await startRouter({
    host: '127.0.77.1',
    apiPort: 0,
    apiSslPort: 0,
    username: 'panel',
    password: 'api-pass',
    pools: [{ name: 'p', ranges: '10.77.0.1-10.77.0.4' }],
  });
  anon = await startRouter({
    host: '127.0.77.2',
    apiPort: 0,
    apiSslPort: 0,
    apiSslCertificate: 'none',
    username: 'panel',
    password: 'api-pass',
  });
});
afterAll(async () => {
  await router.stop();
  await anon.stop();
});

describe('certificate pinning', () => {
  it('pins on first use, refuses a changed certificate before the login, and trusts it only when told which one', async () => {
    const c = callerFor(admin);
    const { id } = await makeNas(admin, {
      ipAddress: router.host,
      apiUsername: 'panel',
      apiPassword: 'api-pass',
      useSsl: true,
      apiSslPort: router.apiSslPort!,
    });
    await drainPoolImports({ log: () => {} });
    expect((await getPoolStatus(admin, id)).import.state).toBe('done');
    const first = normalizeFingerprint(router.tlsFingerprint);
    expect(await c.nas.get({ id })).toMatchObject({ tlsFingerprint: first, tlsSeenFingerprint: '' });

    const renewed = normalizeFingerprint(await router.renewCertificate());
    const loginsBefore = logins(router);
    await requestPoolImport(admin, id);
    await drainPoolImports({ log: () => {} });
    const status = await getPoolStatus(admin, id);
    expect(status.import.state).toBe('failed');
    expect(status.import.error).toMatch(
      /^the router's api-ssl certificate changed \(pinned .*, now .*\): if you replaced it, trust the new certificate on the NAS page$/,
    );
    await heartbeatSweep();
    const tested = await c.nas.testConnection({ id });
    expect(tested.api.status).toBe('failed');
    // Three connections met the new certificate; none of them sent the password.
    expect(logins(router)).toBe(loginsBefore);
    expect(await c.nas.get({ id })).toMatchObject({ tlsFingerprint: first, tlsSeenFingerprint: renewed, isOnline: false });

    // Trusting needs the fingerprint that is actually presented.
    const wrong = await c.nas.trustCertificate({ id, fingerprint: first }).catch((e) => e);
    expect(wrong.code).toBe('CONFLICT');
    await c.nas.trustCertificate({ id, fingerprint: renewed.toLowerCase() });
    expect(await c.nas.get({ id })).toMatchObject({ tlsFingerprint: renewed, tlsSeenFingerprint: '' });
    expect((await c.nas.history({ id }))[0].summary).toContain(`trusted the new api-ssl certificate of NAS`);
    await requestPoolImport(admin, id);
    await drainPoolImports({ log: () => {} });
    expect((await getPoolStatus(admin, id)).import.state).toBe('done');
    expect(logins(router)).toBe(loginsBefore + 1);
  });

  it('forgets the pin when the API endpoint moves (another host or port is met anew)', async () => {
    const c = callerFor(admin);
    const { id } = await makeNas(admin, {
      ipAddress: '127.0.77.3',
      apiHost: router.host,
      apiUsername: 'panel',
      apiPassword: 'api-pass',
      useSsl: true,
      apiSslPort: router.apiSslPort!,
    });
    await drainPoolImports({ log: () => {} });
    expect((await c.nas.get({ id })).tlsFingerprint).not.toBe('');
    const cur = await c.nas.get({ id });
    await c.nas.update({ ...cur, apiSslPort: 18729, secret: '', apiPassword: 'api-pass' });
    expect(await c.nas.get({ id })).toMatchObject({ tlsFingerprint: '', tlsSeenFingerprint: '' });
  });

  it('refuses a router without a certificate unless the NAS allows anonymous TLS', async () => {
    const c = callerFor(admin);
    const { id } = await makeNas(admin, {
      ipAddress: anon.host,
      apiUsername: 'panel',
      apiPassword: 'api-pass',
      useSsl: true,
      apiSslPort: anon.apiSslPort!,
    });
    await drainPoolImports({ log: () => {} });
    const refused = await getPoolStatus(admin, id);
    expect(refused.import.state).toBe('failed');
    expect(refused.import.error).toMatch(/anonymous TLS/);
    expect(logins(anon)).toBe(0);
    const cur = await c.nas.get({ id });
    await c.nas.update({ ...cur, tlsAllowAnonymous: true, secret: '', apiPassword: '' });
    await drainPoolImports({ log: () => {} });
    expect((await getPoolStatus(admin, id)).import.state).toBe('done');
    expect((await c.nas.testConnection({ id })).api.details).toContain(
      'anonymous TLS: the router has no certificate, so nothing proves it is the router (allowed on this NAS)',
    );
  });
});
