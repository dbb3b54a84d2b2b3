import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/env';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { startCoaResponder } from '@/test/coa-responder';
import { assign, callerFor, makeNas, makeReseller, makeUser, uid } from '@/test/fixtures';
import { countPlanPushSessions, getPlanPush, startPlanPush } from './plan-push';
import { drainPlanPushes } from './plan-push-run';

process.env.RADIUS_PROBE_TIMEOUT_MS = '300';
resetEnvCache();

// Hosts 127.0.84.x belong to this file.
const SECRET = 'plan-push-secret';
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

/** A CoA port that ACKs (or stays silent), closed after each test; `userNames()` lists whom it was asked about. */
async function responder(host: string, mode: 'ack' | 'silent') {
  const coa = await startCoaResponder(host, SECRET, mode);
  cleanups.push(() => coa.close());
  return coa;
}

async function makePlan(): Promise<{ id: number; name: string }> {
  const [p] = await db().execute<{ id: number; name: string }>(
    sql`insert into plans (name, download_kbps, upload_kbps) values (${uid('plan')}, 20480, 4096) returning id, name`,
  );
  return p;
}

/** A subscriber on `planId` with an open session on the NAS at `nasIp`; returns the session's radacct id. */
async function online(nasIp: string, nasId: number, planId: number, username = uid('sub')): Promise<number> {
  await db().execute(sql`insert into subscribers (username, nas_id, plan_id) values (${username}, ${nasId}, ${planId})`);
  const [row] = await db().execute<{ id: string }>(sql`
    insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime)
    values (${uid('s')}, ${uid('u')}, ${username}, ${nasIp}::inet, now(), now()) returning radacctid as id`);
  return Number(row.id);
}

/** Two NAS: one whose CoA port ACKs, one silent with no API to fall back on. */
async function fleet(suffix: number) {
  const ackIp = `127.0.84.${suffix}`;
  const silentIp = `127.0.84.${suffix + 1}`;
  const ack = await responder(ackIp, 'ack');
  const silent = await responder(silentIp, 'silent');
  const ackNas = await makeNas(admin, { ipAddress: ackIp, secret: SECRET, coaPort: ack.port });
  const silentNas = await makeNas(admin, { ipAddress: silentIp, secret: SECRET, coaPort: silent.port });
  return { ack, silent, ackIp, silentIp, ackNas, silentNas };
}

describe('plan push', () => {
  it('changes every online session of the plan once, across two workers; one failure does not stop the rest', async () => {
    const { ack, silent, ackIp, silentIp, ackNas, silentNas } = await fleet(1);
    const plan = await makePlan();
    for (let i = 0; i < 5; i++) await online(ackIp, ackNas.id, plan.id);
    const failing = await online(silentIp, silentNas.id, plan.id, uid('silent'));
    // Not reached: another plan's subscriber, and a closed session of this plan's.
    await online(ackIp, ackNas.id, (await makePlan()).id);
    const closed = await online(ackIp, ackNas.id, plan.id);
    await db().execute(sql`update radacct set acctstoptime = now() where radacctid = ${closed}`);

    expect(await countPlanPushSessions(admin, { planId: plan.id })).toEqual({ sessions: 6 });
    const started = await startPlanPush(admin, { planId: plan.id });
    expect(started).toMatchObject({ planName: plan.name, state: 'queued', total: 6, done: 0 });
    // A second click while it is queued returns the same push.
    expect((await startPlanPush(admin, { planId: plan.id })).id).toBe(started.id);

    // Two panel processes polling at once: the push runs on one of them, each session once.
    const ran = await Promise.all([drainPlanPushes(), drainPlanPushes()]);
    expect(ran.reduce((a, b) => a + b, 0)).toBe(1);

    const push = await getPlanPush(admin, started.id);
    expect(push).toMatchObject({ state: 'done', total: 6, done: 6, ok: 5, failed: 1, skipped: 0 });
    expect(push.failures).toEqual([
      {
        sessionId: failing,
        username: expect.stringMatching(/^silent-/),
        nasName: silentNas.name,
        message: expect.stringMatching(/CoA got no answer on udp\/\d+ within 300 ms .* has no RouterOS API credentials to fall back on\.$/),
      },
    ]);
    expect(ack.userNames()).toHaveLength(5);
    expect(new Set(ack.userNames()).size).toBe(5);
    expect(silent.userNames()).toHaveLength(1);
    const [audits] = await db().execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'session.rate'`);
    expect(audits.n).toBe(6);

    // Finished: nothing runs again.
    expect(await drainPlanPushes()).toBe(0);
    expect(ack.userNames()).toHaveLength(5);
  });

  it('resumes a push whose worker died, without resending what was done; an ended session is skipped', async () => {
    const { ack, ackIp, ackNas } = await fleet(10);
    const plan = await makePlan();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push(await online(ackIp, ackNas.id, plan.id));
    const { id } = await startPlanPush(admin, { planId: plan.id });
    // A worker that did the first session, then died (its lock went with its connection).
    await db().execute(
      sql`update plan_push_items set state = 'ok', message = 'done before' where push_id = ${id} and radacct_id = ${ids[0]}`,
    );
    await db().execute(sql`update plan_pushes set state = 'running', started_at = now(), ok = 1 where id = ${id}`);
    // One session ends before its turn.
    await db().execute(sql`update radacct set acctstoptime = now() where radacctid = ${ids[3]}`);

    expect(await drainPlanPushes()).toBe(1);
    expect(await getPlanPush(admin, id)).toMatchObject({ state: 'done', total: 4, done: 4, ok: 3, failed: 0, skipped: 1 });
    expect(ack.userNames()).toHaveLength(2);
  });

  it("a reseller reaches only its NAS's sessions and sees only its own pushes", async () => {
    const { ack, silent, ackIp, silentIp, ackNas, silentNas } = await fleet(20);
    const plan = await makePlan();
    await online(ackIp, ackNas.id, plan.id);
    await online(ackIp, ackNas.id, plan.id);
    await online(silentIp, silentNas.id, plan.id);
    const resellerId = await makeReseller();
    await assign(resellerId, ackNas.id);
    const reseller = await makeUser({ role: 'reseller', resellerId });
    const other = await makeUser({ role: 'reseller', resellerId: await makeReseller() });

    const r = callerFor(reseller);
    expect(await r.sessionControl.planPushCount({ planId: plan.id })).toEqual({ sessions: 2 });
    await expect(callerFor(other).sessionControl.startPlanPush({ planId: plan.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `no session of plan ${plan.name} is online: nothing to apply`,
    });
    const push = await r.sessionControl.startPlanPush({ planId: plan.id });
    expect(push.total).toBe(2);
    await expect(callerFor(other).sessionControl.planPush({ id: push.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await drainPlanPushes();
    expect(await r.sessionControl.planPush({ id: push.id })).toMatchObject({ state: 'done', ok: 2 });
    expect(ack.userNames()).toHaveLength(2);
    expect(silent.userNames()).toHaveLength(0);
  });

  it("one subscriber's sessions after its plan changed", async () => {
    const { ack, ackIp, ackNas } = await fleet(30);
    const plan = await makePlan();
    const name = uid('one');
    await online(ackIp, ackNas.id, plan.id, name);
    await online(ackIp, ackNas.id, plan.id);
    const [sub] = await db().execute<{ id: number }>(sql`select id from subscribers where username = ${name}`);

    expect(await countPlanPushSessions(admin, { subscriberId: sub.id })).toEqual({ sessions: 1 });
    const push = await startPlanPush(admin, { subscriberId: sub.id });
    await drainPlanPushes();
    expect(await getPlanPush(admin, push.id)).toMatchObject({ state: 'done', total: 1, ok: 1 });
    expect(ack.userNames()).toEqual([name]);
  });
});
