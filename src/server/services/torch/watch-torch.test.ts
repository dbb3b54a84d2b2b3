import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import type { TorchEvent } from '@/server/api/outputs/torch';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { assign, callerFor, makeNas, makeReseller, makeUser, uid } from '@/test/fixtures';
import { watchInterfaceTorch, watchSessionTorch, type TorchRunOptions } from './watch-torch';

// Hosts 127.0.131.x belong to this file.
let admin: Actor;
let router: SimRouter;
let nas: { id: number; name: string };
let sessionId: number;

async function openSession(nasIp: string, username: string, framedIp: string): Promise<number> {
  const [row] = await db().execute<{ id: number }>(sql`insert into radacct
    (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, nasportid, acctstarttime, acctupdatetime)
    values (${uid('s')}, ${uid('u')}, ${username}, ${nasIp}::inet, ${framedIp}::inet, 'ether2', now(), now()) returning radacctid as id`);
  return Number(row.id);
}

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  router = await startRouter({
    host: '127.0.131.1',
    apiPort: 0,
    username: 'panel',
    password: 'p',
    pppActive: [
      { name: 'alice', address: '10.9.0.2' },
      { name: 'bob', address: '10.9.0.3' },
    ],
  });
  nas = await makeNas(admin, { ipAddress: router.host, apiUsername: 'panel', apiPassword: 'p', apiPort: router.apiPort });
  sessionId = await openSession(router.host, 'alice', '10.9.0.2');
});

afterAll(() => router.stop());

/** Events until `until` says stop (the viewer leaves) or the torch stops by itself. */
async function collect(events: AsyncGenerator<TorchEvent>, until: (e: TorchEvent, all: TorchEvent[]) => boolean = () => false) {
  const all: TorchEvent[] = [];
  for await (const e of events) {
    all.push(e);
    if (until(e, all)) break;
  }
  return all;
}

/** Starts a statement without waiting for it (drizzle runs a query only once something awaits it); false. */
const run = (statement: ReturnType<typeof sql>) => {
  void db()
    .execute(statement)
    .then(() => {});
  return false;
};

const frames = (all: TorchEvent[]) => all.filter((e) => e.type === 'frame');
const cancels = () => router.commandLog.filter((c) => c === '/cancel').length;
const FAST: TorchRunOptions = { limits: { stallMs: 1500, probeMs: 500 } };

describe('session torch', () => {
  it("streams the session's own interface, and cancels the torch when the viewer leaves", async () => {
    const before = cancels();
    const all = await collect(watchSessionTorch(admin, { id: sessionId }, FAST), (_e, got) => frames(got).length === 2);
    expect(all[0]).toMatchObject({ type: 'started', nasName: nas.name, interface: '<pppoe-alice>', filter: '' });
    const [first] = frames(all);
    expect(first.type === 'frame' && first.flows.every((f) => f.srcAddress === '10.9.0.2')).toBe(true);
    expect(cancels()).toBe(before + 1);
    await expect.poll(() => router.openConnections).toBe(0);
  });

  it('ends without a last word when the viewer goes away (tRPC aborts the request), cancelling the torch', async () => {
    const viewer = new AbortController();
    const before = cancels();
    const all = await collect(watchSessionTorch(admin, { id: sessionId }, { ...FAST, signal: viewer.signal }), (e) => {
      if (e.type === 'frame') viewer.abort();
      return false;
    });
    expect(all.at(-1)?.type).toBe('frame');
    expect(cancels()).toBe(before + 1);
  });

  it('narrows to the Framed-IP on its port when the session has no PPP interface', async () => {
    const id = await openSession(router.host, 'carol-hotspot', '10.9.0.3');
    const all = await collect(watchSessionTorch(admin, { id }, FAST), (_e, got) => frames(got).length === 1);
    expect(all[0]).toMatchObject({ type: 'started', interface: 'ether2', filter: 'from 10.9.0.3/32' });
    const frame = frames(all)[0];
    // Only bob's address is 10.9.0.3 on this router: the filter is the router's, applied to every session on ether2.
    expect(frame.type === 'frame' && frame.flows.length > 0 && frame.flows.every((f) => f.srcAddress === '10.9.0.3')).toBe(true);
  });

  it("is another reseller's session: NOT_FOUND, and nothing reaches the router", async () => {
    const stranger = await makeUser({ role: 'reseller', resellerId: await makeReseller() });
    const accepted = router.acceptedConnections;
    const events = await callerFor(stranger).torch.session({ id: sessionId });
    await expect(events[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `open session #${sessionId} not found`,
    });
    expect(router.acceptedConnections).toBe(accepted);
  });

  it('stops when the session ends, and when the viewer leaves its scope', async () => {
    const resellerId = await makeReseller();
    await assign(resellerId, nas.id);
    const staff = await makeUser({ role: 'reseller', resellerId });
    const ended = await openSession(router.host, 'alice', '10.9.0.2');
    let all = await collect(
      watchSessionTorch(staff, { id: ended }, { ...FAST, recheckMs: 200 }),
      (e) => e.type === 'frame' && run(sql`update radacct set acctstoptime = now() where radacctid = ${ended}`),
    );
    expect(all.at(-1)).toEqual({ type: 'stopped', cause: 'session-ended', reason: 'Stopped: the session ended.' });

    all = await collect(
      watchSessionTorch(staff, { id: sessionId }, { ...FAST, recheckMs: 200 }),
      (e) => e.type === 'frame' && run(sql`delete from reseller_nas where reseller_id = ${resellerId}`),
    );
    expect(all.at(-1)).toEqual({ type: 'stopped', cause: 'scope', reason: 'Stopped: you no longer have access to this session.' });
  });
});

describe('limits', () => {
  it('runs one torch per router at a time, naming who runs it; the next may start once it ends', async () => {
    const other = await makeUser({ role: 'admin' });
    const first = watchSessionTorch(admin, { id: sessionId }, FAST);
    expect((await first.next()).value).toMatchObject({ type: 'started' });
    try {
      // Another user, another interface of the same router: refused, with the holder's name.
      await expect(watchInterfaceTorch(other, { id: nas.id, interface: 'ether1' }, FAST).next()).rejects.toThrow(
        new RegExp(`^a torch is already running on ${nas.name} \\(by ${admin.email}\\): only one runs per router at a time$`),
      );
      // The same user in a second tab is told it is theirs; through tRPC it is a CONFLICT, not an error to retry.
      const again = await callerFor(admin).torch.session({ id: sessionId });
      await expect(again[Symbol.asyncIterator]().next()).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('(by you, in another tab or window)'),
      });
    } finally {
      await first.return(undefined);
    }
    const all = await collect(watchInterfaceTorch(other, { id: nas.id, interface: 'ether1' }, FAST), (e) => e.type === 'frame');
    expect(all[0]).toMatchObject({ type: 'started', interface: 'ether1' });
  });

  it("waits for the same viewer's previous torch to wind down (a reload), instead of refusing", async () => {
    const old = watchSessionTorch(admin, { id: sessionId }, FAST);
    expect((await old.next()).value).toMatchObject({ type: 'started' });
    const reloaded = watchSessionTorch(admin, { id: sessionId }, FAST);
    setTimeout(() => void old.return(undefined), 500);
    expect((await reloaded.next()).value).toMatchObject({ type: 'started' });
    await reloaded.return(undefined);
  });

  it('stops by itself at the time limit, with the reason, and cancels the torch on the router', async () => {
    const before = cancels();
    const started = Date.now();
    const all = await collect(watchSessionTorch(admin, { id: sessionId }, { ...FAST, maxMs: 2500 }));
    expect(all.at(-1)).toEqual({
      type: 'stopped',
      cause: 'time-limit',
      reason: 'Stopped after 3 s, the longest one torch runs: start it again to keep watching.',
    });
    expect(Date.now() - started).toBeLessThan(2500 + 1500);
    expect(frames(all).length).toBeGreaterThanOrEqual(1);
    expect(cancels()).toBe(before + 1);
  });

  it('ends with the reason when the router stalls, and the lease is free again', async () => {
    const all = await collect(watchSessionTorch(admin, { id: sessionId }, FAST), (e) => {
      if (e.type === 'frame') void router.setFault('silent');
      return false;
    }).finally(() => router.setFault('none'));
    expect(all.at(-1)).toEqual({
      type: 'stopped',
      cause: 'router-error',
      reason: `Torch through ${nas.name} stopped: router stopped answering: no torch data for 1.5 s and no answer to a check within 0.5 s`,
    });
    expect((await collect(watchSessionTorch(admin, { id: sessionId }, FAST), () => true))[0]).toMatchObject({ type: 'started' });
  });

  it('needs nas.diagnose for an interface: an operator may watch sessions, not the uplink', async () => {
    const operator = await makeUser({ role: 'operator' });
    await expect(callerFor(operator).torch.interface({ id: nas.id, interface: 'ether1' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const events = await callerFor(operator).torch.session({ id: sessionId });
    const it = events[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ type: 'started' });
    await it.return?.();
  });
});
