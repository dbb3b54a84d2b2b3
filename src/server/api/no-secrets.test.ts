import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appRouter } from '@/server/api/root';
import { db } from '@/server/db/client';
import { heartbeatSweep } from '@/server/services/nas/heartbeat';
import { drainPoolImports } from '@/server/jobs/pool-import';
import { drainSubscriberImports } from '@/server/jobs/subscriber-import';
import { drainPlanPushes } from '@/server/services/sessions/plan-push-run';
import { uploadSubscriberImport } from '@/server/services/subscribers/subscriber-import-upload';
import { callerFor, makeNas, makeReseller, makeUser, uid } from '@/test/fixtures';

const SECRET = 'radius-secret-Zq81';
const API_PASSWORD = 'api-password-Kx47';

/**
 * Every procedure of the app is called here, and no response may carry a stored secret, an API password,
 * their ciphertexts or a password hash. A new procedure fails this test until it is added below.
 */
// Everything the server writes to its log while these calls and the jobs run.
const logs: string[] = [];
beforeAll(() => {
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation(
      (...args: unknown[]) =>
        void logs.push(
          args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '),
        ),
    );
  }
});
afterAll(() => vi.restoreAllMocks());

async function everyEvent(events: AsyncIterable<unknown>): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const e of events) all.push(e);
  return all;
}

const planForm = () => ({ name: uid('plan'), downloadRate: '10', uploadRate: '2' });

describe('no procedure returns a secret', () => {
  it('covers every procedure and leaks nothing: not in results, errors, logs (jobs too) or the audit log', async () => {
    const admin = await makeUser({ role: 'admin' });
    const resellerId = await makeReseller();
    // Loopback, nothing listening: procedures that reach the router fail fast and stay on this machine.
    const nas = await makeNas(admin, {
      ipAddress: '127.0.73.2',
      secret: SECRET,
      apiUsername: 'panel',
      apiPassword: API_PASSWORD,
      apiPort: 9,
    });
    const c = callerFor(admin);
    const cur = await c.nas.get({ id: nas.id });

    // A CSV whose subscriber's password is the secret: no import procedure may echo it.
    const importPlan = planForm();
    await c.plans.create(importPlan);
    const csv = () => `username,password,plan,nas,static_ip,enabled\n${uid('s')},${SECRET},${importPlan.name},${nas.name},,\n`;
    const upload = async () =>
      (
        await uploadSubscriberImport(admin, {
          fileName: 'subscribers.csv',
          resellerId: null,
          body: (async function* () {
            yield new TextEncoder().encode(csv());
          })(),
        })
      ).id;

    // A subscriber whose password is the secret: no subscriber procedure may echo it, nor its ciphertext.
    const { id: subscriberPlanId } = await c.plans.create(planForm());
    const subscriberForm = () => ({ username: uid('sub'), password: SECRET, nasId: nas.id, planId: subscriberPlanId });
    const subscriber = async () => (await c.subscribers.create(subscriberForm())).id;
    const subscriberId = await subscriber();
    // An open session of that subscriber on the NAS whose secret is the secret: the session procedures join both.
    const openSession = async () => {
      const [r] = await db().execute<{
        id: string;
      }>(sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime)
        values (${uid('s')}, ${uid('u')}, (select username from subscribers where id = ${subscriberId}), ${nas.ipAddress}::inet, now())
        returning radacctid as id`);
      return Number(r.id);
    };

    const calls: Record<string, () => Promise<unknown>> = {
      'me.get': () => c.me.get(),
      'nas.list': () => c.nas.list({}),
      'nas.unknownDevices': () => c.nas.unknownDevices(),
      'nas.get': () => c.nas.get({ id: nas.id }),
      'nas.history': () => c.nas.history({ id: nas.id }),
      'nas.create': () =>
        c.nas.create({ name: uid('n'), ipAddress: '192.0.2.77', secret: SECRET, apiUsername: 'u', apiPassword: API_PASSWORD }),
      'nas.update': () => c.nas.update({ ...cur, secret: SECRET + '2', apiPassword: API_PASSWORD + '2' }),
      'nas.pools': () => c.nas.pools({ id: nas.id }),
      'nas.importPools': () => c.nas.importPools({ id: nas.id }),
      // Port 9 on loopback: nothing listens, so every check fails fast, and failure texts must not leak either.
      // The stored secret and password fill the empty fields (same address), and failure texts must not leak them.
      'nas.testConnection': () =>
        c.nas.testConnection({
          id: nas.id,
          values: { ipAddress: '127.0.73.2', apiUsername: 'panel', apiPort: 9, authPort: 9, coaPort: 1700 },
        }),
      'nas.trustCertificate': () => c.nas.trustCertificate({ id: nas.id, fingerprint: 'none' }),
      'nas.diagnostic': () => c.nas.diagnostic({ id: nas.id, tool: 'ping', address: '127.0.0.1', count: 1 }).catch((e: Error) => e.message),
      'nasDashboard.get': () => c.nasDashboard.get({ id: nas.id }),
      'diagnostics.nslookup': () => c.diagnostics.nslookup({ id: nas.id, name: 'radius.example.net' }).catch((e: Error) => e.message),
      'nas.delete': () => c.nas.create({ name: uid('d'), ipAddress: '192.0.2.78', secret: SECRET }).then(({ id }) => c.nas.delete({ id })),
      'users.list': () => c.users.list(),
      'users.roles': () => c.users.roles(),
      'users.resellerOptions': () => c.users.resellerOptions(),
      'users.create': () => c.users.create({ email: `${uid('u')}@t.local`, password: 'long-password-1', roleId: 1, resellerId }),
      'users.update': () => c.users.update({ id: admin.userId, name: 'A', roleId: 1, resellerId: null, isActive: true, password: '' }),
      'resellers.list': () => c.resellers.list(),
      'resellers.get': () => c.resellers.get({ id: resellerId }),
      'resellers.create': () => c.resellers.create({ name: uid('r') }),
      'resellers.setAssignment': () => c.resellers.setAssignment({ resellerId, nasId: nas.id, assigned: true }),
      'plans.list': () => c.plans.list({}),
      'plans.get': () => c.plans.create(planForm()).then(({ id }) => c.plans.get({ id })),
      'plans.formOptions': () => c.plans.formOptions(),
      'plans.poolChoices': () => c.plans.poolChoices({ nasId: nas.id }),
      'plans.create': () => c.plans.create({ ...planForm(), defaultNasId: nas.id, resellerIds: [resellerId] }),
      'plans.update': () => c.plans.create(planForm()).then(({ id }) => c.plans.update({ ...planForm(), id, filterId: 'GOLD' })),
      'plans.delete': () => c.plans.create(planForm()).then(({ id }) => c.plans.delete({ id })),
      'plans.options': () => c.plans.options({}),
      'subscriberImports.get': () => upload().then((id) => c.subscriberImports.get({ id })),
      'subscriberImports.list': () => c.subscriberImports.list({}),
      'subscriberImports.start': () => upload().then((id) => c.subscriberImports.start({ id })),
      'subscriberImports.discard': () => upload().then((id) => c.subscriberImports.discard({ id })),
      'subscribers.list': () => c.subscribers.list({}),
      // Its history holds the audit entry of its create: that must not carry it either.
      'subscribers.get': () => c.subscribers.get({ id: subscriberId }),
      'subscribers.formOptions': () => c.subscribers.formOptions(),
      'subscribers.create': () => subscriber(),
      // A new password that contains the secret: the response, the audit entry and its summary must not.
      'subscribers.update': () => c.subscribers.update({ ...subscriberForm(), id: subscriberId, password: SECRET + '2', enabled: false }),
      'subscribers.delete': () => subscriber().then((id) => c.subscribers.delete({ id })),
      'sessions.list': () => openSession().then(() => c.sessions.list({})),
      'sessions.get': () => openSession().then((id) => c.sessions.get({ id })),
      'sessions.close': () => openSession().then((id) => c.sessions.close({ id })),
      'sessions.nasOptions': () => c.sessions.nasOptions(),
      // CoA to a port nothing listens on, then the API on port 9: both failure sentences reach the browser and the audit.
      'sessionControl.disconnect': () => openSession().then((id) => c.sessionControl.disconnect({ id })),
      'sessionControl.changeRate': () => openSession().then((id) => c.sessionControl.changeRate({ id })),
      'sessionControl.planPushCount': () => openSession().then(() => c.sessionControl.planPushCount({ planId: subscriberPlanId })),
      'sessionControl.startPlanPush': () => openSession().then(() => c.sessionControl.startPlanPush({ planId: subscriberPlanId })),
      'sessionControl.planPush': () =>
        openSession()
          .then(() => c.sessionControl.startPlanPush({ subscriberId }))
          .then((p) => c.sessionControl.planPush({ id: p.id })),
      // Live Torch through the router that does not answer: every event until the last, which says why it stopped.
      'torch.session': () => openSession().then(async (id) => everyEvent(await c.torch.session({ id }))),
      'torch.interface': async () => everyEvent(await c.torch.interface({ id: nas.id, interface: 'ether1' })),
    };
    expect(Object.keys(calls).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());

    // The ciphertexts as stored now: read again after the jobs, which seal the imported subscribers' passwords.
    const forbiddenNow = async () => {
      const stored = await db().execute<{ secret_enc: string; api_password_enc: string }>(
        sql`select secret_enc, api_password_enc from nas_devices`,
      );
      const hashes = await db().execute<{ password_hash: string }>(sql`select password_hash from users`);
      const sealed = await db().execute<{ password_enc: string }>(
        sql`select password_enc from subscribers union all select password_enc from subscriber_import_rows`,
      );
      return [
        SECRET,
        API_PASSWORD,
        ...stored.flatMap((r) => [r.secret_enc, r.api_password_enc]).filter(Boolean),
        ...hashes.map((h) => h.password_hash).filter((h) => h.length > 8),
        ...sealed.map((r) => r.password_enc).filter((p) => p.length > 8),
      ];
    };
    const forbidden = await forbiddenNow();
    for (const [name, call] of Object.entries(calls)) {
      // A failure's message reaches the browser as much as a result does.
      const out = JSON.stringify(await call().catch((e: Error) => ({ error: e.message, cause: String(e.cause ?? '') })));
      for (const f of forbidden) expect(out, `${name} leaked a secret`).not.toContain(f);
      expect(out).not.toMatch(/secret_?enc|password_?(hash|enc)|passwordHash|apiPasswordEnc|secretEnc/i);
    }
    // What the background jobs do with this NAS (its router does not answer) is logged: run them too.
    await drainPoolImports();
    await heartbeatSweep();
    await drainSubscriberImports();
    await drainPlanPushes();

    const after = await forbiddenNow();
    const audit = JSON.stringify(await db().execute(sql`select summary, changes from audit_log`));
    for (const f of after) expect(audit, 'audit_log leaked a secret').not.toContain(f);
    expect(audit).toContain('"secret":"changed"');
    // The subscriber's new password was audited, as a word.
    expect(audit).toContain('"password":"changed"');
    const logged = logs.join('\n');
    expect(logged.length, 'the jobs logged something').toBeGreaterThan(0);
    for (const f of after) expect(logged, 'a log line leaked a secret').not.toContain(f);
  });
});
