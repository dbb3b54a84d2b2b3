import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import { acctSessionIdOf } from '../../../../tools/routeros-sim/state';
import { resetEnvCache } from '@/env';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { attributesOf, startCoaResponder, type CoaResponderMode } from '@/test/coa-responder';
import { assign, callerFor, makeNas, makeReseller, makeUser, uid } from '@/test/fixtures';
import { sendCoaRequest } from '@/server/integrations/radius';
import { changeSessionRate, disconnectSession } from './session-control';

// A NAS that does not answer CoA costs this long before the API fallback: short, so the file stays quick.
process.env.RADIUS_PROBE_TIMEOUT_MS = '300';
resetEnvCache();

// Hosts 127.0.83.x belong to this file.
const SECRET = 'control-radius-secret';
const API_PASSWORD = 'control-api-password';
const cleanups: Array<() => Promise<void> | void> = [];
let admin: Actor;

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => {
  delete process.env.RADIUS_PROBE_TIMEOUT_MS;
  resetEnvCache();
});

async function simRouter(host: string, opts: { coa: boolean; hotspot?: boolean }): Promise<SimRouter> {
  const router = await startRouter({
    host,
    apiPort: 0,
    username: 'panel',
    password: API_PASSWORD,
    coa: opts.coa ? { port: 0, secret: SECRET } : null,
    pppActive: [
      { name: 'alice', address: '100.64.0.10' },
      { name: 'bob', address: '100.64.0.11' },
    ],
    hotspotActive: opts.hotspot
      ? [
          { user: 'guest-7', address: '10.5.50.7' },
          { user: 'guest-8', address: '10.5.50.8' },
          { user: 'guest-8', address: '10.5.50.9' },
        ]
      : [],
  });
  cleanups.push(() => router.stop());
  return router;
}

/** The open radacct row the RADIUS service would have written for a simulated PPP session. */
async function openSession(nasIp: string, s: { name: string; address: string | null; sessionId: string }): Promise<number> {
  const [row] = await db().execute<{ id: string }>(sql`
    insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, acctstarttime, acctupdatetime,
      servicetype, framedprotocol)
    values (${acctSessionIdOf(s)}, ${uid('uniq')}, ${s.name}, ${nasIp}::inet, ${s.address}::inet, now(), now(), 'Framed-User', 'PPP')
    returning radacctid as id`);
  return Number(row.id);
}

/** The file's CoA responder, closed after each test. */
async function responder(host: string, mode: CoaResponderMode) {
  const coa = await startCoaResponder(host, SECRET, mode);
  cleanups.push(() => coa.close());
  return coa;
}

async function auditRows(sessionId: number) {
  return db().execute<{ action: string; actor_email: string; summary: string; changes: Record<string, unknown> }>(
    sql`select action, actor_email, summary, changes from audit_log where entity_type = 'session' and entity_id = ${sessionId} order by id`,
  );
}

async function nasFor(ip: string, over: { coaPort: number; apiPort?: number }) {
  return makeNas(admin, {
    ipAddress: ip,
    secret: SECRET,
    coaPort: over.coaPort,
    ...(over.apiPort !== undefined && { apiUsername: 'panel', apiPassword: API_PASSWORD, apiPort: over.apiPort }),
  });
}

describe('disconnectSession through the simulator', () => {
  it('CoA: the Disconnect-ACK ends the simulated session; the row stays open for the Stop; audited', async () => {
    const router = await simRouter('127.0.83.1', { coa: true });
    await nasFor(router.host, { coaPort: router.coaPort! });
    const alice = router.getPppActive().find((s) => s.name === 'alice')!;
    const id = await openSession(router.host, alice);

    const outcome = await disconnectSession(admin, id);

    expect(outcome).toEqual({
      ok: true,
      path: 'coa',
      message: expect.stringMatching(
        /^CoA disconnected alice on .+ \(Disconnect-ACK\); the session closes here when the router's Stop arrives\.$/,
      ),
    });
    expect(router.getPppActive().map((s) => s.name)).toEqual(['bob']);
    const [row] = await db().execute<{ open: boolean }>(sql`select acctstoptime is null as open from radacct where radacctid = ${id}`);
    expect(row.open).toBe(true);

    const [entry] = await auditRows(id);
    expect(entry).toMatchObject({ action: 'session.disconnect', actor_email: admin.email, summary: outcome.message });
    expect(entry.changes).toMatchObject({
      session: { id, username: 'alice', acctSessionId: acctSessionIdOf(alice) },
      path: 'coa',
      ok: true,
      coa: { result: 'ack' },
    });
  });
});

describe('disconnectSession against an independent CoA responder', () => {
  it('sends User-Name, Acct-Session-Id, Framed-IP-Address, NAS-IP-Address and Message-Authenticator; ACK → ok by CoA', async () => {
    const nasIp = '127.0.83.10';
    const coa = await responder(nasIp, 'ack');
    await nasFor(nasIp, { coaPort: coa.port });
    const id = await openSession(nasIp, { name: 'carol', address: '100.64.1.5', sessionId: '0x81A0C0DE' });

    expect(await disconnectSession(admin, id)).toMatchObject({ ok: true, path: 'coa' });

    expect(coa.received).toHaveLength(1);
    const [request] = coa.received;
    expect(request[0]).toBe(40);
    const attrs = attributesOf(request);
    expect(attrs.get(1)?.toString()).toBe('carol');
    expect(attrs.get(44)?.toString()).toBe('81a0c0de');
    expect([...attrs.get(8)!]).toEqual([100, 64, 1, 5]);
    expect([...attrs.get(4)!]).toEqual([127, 0, 83, 10]);
    expect(attrs.get(80)).toHaveLength(16);
  });

  it('NAK with Error-Cause 503 and no API: not done, the cause in words', async () => {
    const nasIp = '127.0.83.11';
    const coa = await responder(nasIp, 'nak-503');
    const nas = await nasFor(nasIp, { coaPort: coa.port });
    const id = await openSession(nasIp, { name: 'dave', address: '100.64.1.6', sessionId: '0x81A0C0DF' });

    const outcome = await disconnectSession(admin, id);

    expect(outcome).toEqual({
      ok: false,
      path: null,
      message: `Could not disconnect dave on ${nas.name}: CoA was refused with Error-Cause 503 (the NAS has no session matching the User-Name, Acct-Session-Id and Framed-IP-Address sent), and ${nas.name} has no RouterOS API credentials to fall back on.`,
    });
  });

  it('silence → the API removes the PPP session, and the message says why CoA did not', async () => {
    const router = await simRouter('127.0.83.12', { coa: false });
    const coa = await responder(router.host, 'silent');
    await nasFor(router.host, { coaPort: coa.port, apiPort: router.apiPort });
    const alice = router.getPppActive().find((s) => s.name === 'alice')!;
    const id = await openSession(router.host, alice);

    const started = Date.now();
    const outcome = await disconnectSession(admin, id);

    expect(outcome).toEqual({
      ok: true,
      path: 'api',
      message: `Through the RouterOS API: removed alice's PPP session (${alice.id}) with /ppp/active/remove, because CoA got no answer on udp/${coa.port} within 300 ms (check /radius incoming accept=yes and its port, the firewall, and that the router has the same RADIUS secret).`,
    });
    expect(coa.received).toHaveLength(1);
    expect(router.getPppActive().map((s) => s.name)).toEqual(['bob']);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await auditRows(id))[0].changes).toMatchObject({ path: 'api', coa: { result: 'no-answer' }, api: { ok: true } });
  });

  it('silence → a hotspot login (no PPP session of that name) is logged out through the API; two logins of one user, only the one at its address', async () => {
    const router = await simRouter('127.0.83.19', { coa: false, hotspot: true });
    const coa = await responder(router.host, 'silent');
    await nasFor(router.host, { coaPort: coa.port, apiPort: router.apiPort });
    const guest7 = await openSession(router.host, { name: 'guest-7', address: '10.5.50.7', sessionId: '81b0c001' });
    const guest8 = await openSession(router.host, { name: 'guest-8', address: '10.5.50.9', sessionId: '81b0c002' });

    expect(await disconnectSession(admin, guest7)).toMatchObject({
      ok: true,
      path: 'api',
      message: expect.stringMatching(
        /^Through the RouterOS API: logged guest-7 out with \/ip\/hotspot\/active\/remove, because CoA got no answer/,
      ),
    });
    expect(await disconnectSession(admin, guest8)).toMatchObject({ ok: true, path: 'api' });
    expect(router.getHotspotActive()).toEqual([expect.objectContaining({ user: 'guest-8', address: '10.5.50.8' })]);
    expect(router.getPppActive().map((s) => s.name)).toEqual(['alice', 'bob']);
  });

  it('a reply signed with another secret fails verification → API fallback', async () => {
    const router = await simRouter('127.0.83.13', { coa: false });
    const coa = await responder(router.host, 'wrong-secret');
    await nasFor(router.host, { coaPort: coa.port, apiPort: router.apiPort });
    const bob = router.getPppActive().find((s) => s.name === 'bob')!;
    const id = await openSession(router.host, bob);

    const outcome = await disconnectSession(admin, id);

    expect(outcome).toMatchObject({ ok: true, path: 'api' });
    expect(outcome.message).toMatch(
      /because CoA got a reply that fails verification: the router has a different RADIUS secret than this NAS entry\.$/,
    );
    expect(router.getPppActive().map((s) => s.name)).toEqual(['alice']);
  });

  it('silence and no API credentials: ok false, saying both', async () => {
    const nasIp = '127.0.83.14';
    const coa = await responder(nasIp, 'silent');
    const nas = await nasFor(nasIp, { coaPort: coa.port });
    const id = await openSession(nasIp, { name: 'erin', address: null, sessionId: '81a0c0e0' });

    const outcome = await disconnectSession(admin, id);

    expect(outcome.ok).toBe(false);
    expect(outcome.path).toBeNull();
    expect(outcome.message).toBe(
      `Could not disconnect erin on ${nas.name}: CoA got no answer on udp/${coa.port} within 300 ms (check /radius incoming accept=yes and its port, the firewall, and that the router has the same RADIUS secret), and ${nas.name} has no RouterOS API credentials to fall back on.`,
    );
  });

  it("the API leaves a newer session of the same user alone (this one's Stop was lost)", async () => {
    const router = await simRouter('127.0.83.15', { coa: false });
    const coa = await responder(router.host, 'silent');
    await nasFor(router.host, { coaPort: coa.port, apiPort: router.apiPort });
    const id = await openSession(router.host, { name: 'alice', address: '100.64.0.10', sessionId: '0x81FFFFFF' });

    const outcome = await disconnectSession(admin, id);

    expect(outcome).toMatchObject({ ok: false, path: null });
    expect(outcome.message).toMatch(/and the API found alice's PPP session on the router to be a newer one .* and left it alone/);
    expect(router.getPppActive().map((s) => s.name)).toEqual(['alice', 'bob']);
  });
});

describe('scope', () => {
  it("another reseller's session, a closed one and an unknown id are NOT_FOUND, and nothing is sent", async () => {
    const nasIp = '127.0.83.20';
    const coa = await responder(nasIp, 'ack');
    const nas = await nasFor(nasIp, { coaPort: coa.port });
    const mine = await makeReseller();
    await assign(mine, nas.id);
    const owner = await makeUser({ role: 'reseller', resellerId: mine });
    const stranger = await makeUser({ role: 'reseller', resellerId: await makeReseller() });
    const id = await openSession(nasIp, { name: 'frank', address: '100.64.2.1', sessionId: '81a0c0e1' });

    for (const call of ['disconnect', 'changeRate'] as const) {
      await expect(callerFor(stranger).sessionControl[call]({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(callerFor(owner).sessionControl[call]({ id: id + 1_000_000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(coa.received).toHaveLength(0);
    expect(await auditRows(id)).toHaveLength(0);

    // Its own reseller reaches it; once closed, it is not found either.
    await expect(callerFor(owner).sessionControl.disconnect({ id })).resolves.toMatchObject({ ok: true, path: 'coa' });
    await db().execute(sql`update radacct set acctstoptime = now() where radacctid = ${id}`);
    await expect(callerFor(owner).sessionControl.disconnect({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(coa.received).toHaveLength(1);
  });

  it('an operator (sessions.view without sessions.disconnect) is FORBIDDEN', async () => {
    const operator = await makeUser({ role: 'operator' });
    await expect(callerFor(operator).sessionControl.disconnect({ id: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('changeSessionRate', () => {
  async function subscriberOnPlan(username: string, nasId: number, plan: { down: number; up: number; burst?: boolean }) {
    const [p] = await db().execute<{ id: number; name: string }>(sql`
      insert into plans (name, download_kbps, upload_kbps, burst_download_kbps, burst_upload_kbps, burst_time_s, filter_id)
      values (${uid('plan')}, ${plan.down}, ${plan.up}, ${plan.burst ? plan.down * 2 : null}, ${plan.burst ? plan.up * 2 : null},
        ${plan.burst ? 8 : null}, 'GOLD')
      returning id, name`);
    await db().execute(sql`insert into subscribers (username, nas_id, plan_id) values (${username}, ${nasId}, ${p.id})`);
    return p;
  }

  it("CoA-Request carries the current plan's Mikrotik-Rate-Limit: the simulated session gets it", async () => {
    const router = await simRouter('127.0.83.30', { coa: true });
    const nas = await nasFor(router.host, { coaPort: router.coaPort! });
    const alice = router.getPppActive().find((s) => s.name === 'alice')!;
    const plan = await subscriberOnPlan('alice', nas.id, { down: 10240, up: 2048, burst: true });
    const id = await openSession(router.host, alice);

    const outcome = await changeSessionRate(admin, id);

    expect(outcome).toEqual({
      ok: true,
      path: 'coa',
      message: `CoA changed the rate of alice on ${nas.name} (CoA-ACK) to plan ${plan.name} without reconnecting.`,
    });
    expect(router.getPppActive().find((s) => s.name === 'alice')?.rateLimit).toBe('2048k/10240k 4096k/20480k 2048k/10240k 8/8');
    expect(router.getPppActive().find((s) => s.name === 'bob')?.rateLimit).toBeUndefined();
    expect((await auditRows(id))[0]).toMatchObject({ action: 'session.rate', changes: { plan: plan.name, path: 'coa' } });
  });

  it("CoA unanswered on a MikroTik with API: the session's dynamic queue is set to the plan's rates", async () => {
    // The router's CoA port has another secret: it drops the panel's requests unanswered, as RouterOS does.
    const router = await startRouter({
      host: '127.0.83.33',
      apiPort: 0,
      username: 'panel',
      password: API_PASSWORD,
      coa: { port: 0, secret: 'the-router-has-another-secret' },
      pppActive: [{ name: 'hana', address: '100.64.4.1' }],
    });
    cleanups.push(() => router.stop());
    const hana = router.getPppActive()[0];
    // Logged in with 1M/1M: RouterOS made the dynamic queue <pppoe-hana>.
    const login = await sendCoaRequest({
      host: router.host,
      port: router.coaPort!,
      secret: 'the-router-has-another-secret',
      timeoutMs: 1000,
      attributes: [
        ['User-Name', 'hana'],
        ['Mikrotik-Rate-Limit', '1M/1M'],
      ],
    });
    expect(login.result).toBe('ack');
    const nas = await nasFor(router.host, { coaPort: router.coaPort!, apiPort: router.apiPort });
    await subscriberOnPlan('hana', nas.id, { down: 10240, up: 2048, burst: true });
    const id = await openSession(router.host, hana);

    const outcome = await changeSessionRate(admin, id);

    expect(outcome).toMatchObject({ ok: true, path: 'api' });
    expect(outcome.message).toMatch(
      /^Through the RouterOS API: set queue <pppoe-hana> to max-limit=2048000\/10240000 with \/queue\/simple\/set, because CoA got no answer on udp\/\d+ within 300 ms/,
    );
    expect(router.getPppActive()[0].rateLimit).toBe('2048000/10240000 4096000/20480000 2048000/10240000 8s/8s');
  });

  it('a generic NAS gets Filter-Id and WISPr rates, and is told plainly that only CoA can change them', async () => {
    const nasIp = '127.0.83.31';
    const coa = await responder(nasIp, 'ack');
    const nas = await makeNas(admin, { ipAddress: nasIp, secret: SECRET, coaPort: coa.port, type: 'generic' });
    await subscriberOnPlan('gina', nas.id, { down: 8000, up: 1000 });
    const id = await openSession(nasIp, { name: 'gina', address: '100.64.3.1', sessionId: '81a0c0e2' });

    expect(await changeSessionRate(admin, id)).toMatchObject({ ok: true, path: 'coa' });
    const attrs = attributesOf(coa.received[0]);
    expect(coa.received[0][0]).toBe(43);
    expect(attrs.get(11)?.toString()).toBe('GOLD');
    expect(coa.received[0].includes(Buffer.from([0, 0, 0x37, 0x2a, 8, 6, 0, 0x7a, 0x12, 0]))).toBe(true); // WISPr down 8,000,000

    await db().execute(sql`update nas_devices set coa_port = ${coa.port + 1} where id = ${nas.id}`);
    const refused = await changeSessionRate(admin, id);
    expect(refused).toMatchObject({ ok: false, path: null });
    expect(refused.message).toMatch(/a generic NAS takes a rate change by CoA only, so the new rate applies at the next login\.$/);
  });

  it('a session whose user has no plan sends nothing', async () => {
    const nasIp = '127.0.83.32';
    const coa = await responder(nasIp, 'ack');
    await nasFor(nasIp, { coaPort: coa.port });
    const id = await openSession(nasIp, { name: 'nobody', address: null, sessionId: '81a0c0e3' });
    expect(await changeSessionRate(admin, id)).toMatchObject({
      ok: false,
      path: null,
      message: expect.stringMatching(/nothing was sent$/),
    });
    expect(coa.received).toHaveLength(0);
  });
});

describe('audit', () => {
  it('never holds the RADIUS secret or the API password', async () => {
    const rows = await db().execute<{ row: string }>(
      sql`select row_to_json(a)::text as row from audit_log a where entity_type = 'session'`,
    );
    expect(rows.length).toBeGreaterThan(3);
    for (const { row } of rows) {
      expect(row).not.toContain(SECRET);
      expect(row).not.toContain(API_PASSWORD);
    }
  });
});
