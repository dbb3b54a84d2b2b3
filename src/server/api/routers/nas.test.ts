import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { assign, callerFor, makeNas, makeReseller, makeRole, makeUser, nextIp, openSessions, uid } from '@/test/fixtures';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}

const form = (over: Record<string, unknown> = {}) => ({ name: uid('Core'), ipAddress: nextIp(), secret: 'radius-secret-value', ...over });

let admin: Actor;
let operator: Actor;
let noView: Actor;
let resellerUser: Actor;
let assignedId: number;
let otherId: number;

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  operator = await makeUser({ role: 'operator' });
  noView = await makeUser({ role: await makeRole([]) });
  const resellerId = await makeReseller();
  resellerUser = await makeUser({ role: 'reseller', resellerId });
  assignedId = (await makeNas(admin)).id;
  otherId = (await makeNas(admin)).id;
  await assign(resellerId, assignedId);
});

describe('permission matrix', () => {
  type Call = (id: number) => (actor: Actor | null) => Promise<unknown>;
  const calls: Record<string, Call> = {
    list: () => (a) => callerFor(a).nas.list({}),
    get: (id) => (a) => callerFor(a).nas.get({ id }),
    history: (id) => (a) => callerFor(a).nas.history({ id }),
    create: () => (a) => callerFor(a).nas.create(form()),
    update: (id) => async (a) => {
      const cur = await callerFor(admin).nas.get({ id });
      return callerFor(a).nas.update({ ...cur, id, description: uid('d'), secret: '', apiPassword: '' });
    },
    delete: (id) => (a) => callerFor(a).nas.delete({ id }),
  };

  // Expected result per (procedure, who). "assigned"/"unassigned" = reseller user acting on such a NAS.
  const expected: Record<string, Record<string, string>> = {
    list: { anonymous: 'UNAUTHORIZED', noView: 'FORBIDDEN', operator: 'OK', assigned: 'OK', admin: 'OK' },
    get: { anonymous: 'UNAUTHORIZED', noView: 'FORBIDDEN', operator: 'OK', assigned: 'OK', unassigned: 'NOT_FOUND', admin: 'OK' },
    history: { anonymous: 'UNAUTHORIZED', noView: 'FORBIDDEN', operator: 'OK', assigned: 'OK', unassigned: 'NOT_FOUND', admin: 'OK' },
    create: { anonymous: 'UNAUTHORIZED', noView: 'FORBIDDEN', operator: 'FORBIDDEN', assigned: 'OK', admin: 'OK' },
    update: { anonymous: 'UNAUTHORIZED', noView: 'FORBIDDEN', operator: 'FORBIDDEN', assigned: 'OK', unassigned: 'NOT_FOUND', admin: 'OK' },
    delete: { anonymous: 'UNAUTHORIZED', noView: 'FORBIDDEN', operator: 'FORBIDDEN', assigned: 'OK', unassigned: 'NOT_FOUND', admin: 'OK' },
  };

  for (const [proc, cases] of Object.entries(expected)) {
    for (const [who, code] of Object.entries(cases)) {
      it(`${proc} as ${who} → ${code}`, async () => {
        // Deletes consume a NAS: give each case a fresh one in the right scope.
        let id = otherId;
        if (proc === 'delete' || proc === 'update') {
          id = (await makeNas(admin)).id;
          if (who === 'assigned') await assign(resellerUser.resellerId!, id);
        } else if (who === 'assigned') id = assignedId;
        const actor = { anonymous: null, noView, operator, assigned: resellerUser, unassigned: resellerUser, admin }[who]!;
        expect(await codeOf(calls[proc](id)(actor))).toBe(code);
      });
    }
  }
});

describe('reseller scoping', () => {
  it('lists only assigned NAS rows, and nothing for a reseller without assignments', async () => {
    const list = await callerFor(resellerUser).nas.list({ limit: 1000 });
    expect(list.items.map((n) => n.id)).toContain(assignedId);
    expect(list.items.map((n) => n.id)).not.toContain(otherId);
    const lonely = await makeUser({ role: 'reseller', resellerId: await makeReseller() });
    expect(await callerFor(lonely).nas.list({})).toEqual({ items: [], total: 0 });
  });

  it("fails closed: without nas.all a user sees only their reseller's NAS, and none without a reseller", async () => {
    const viewOnly = await makeRole(['nas.view']);
    const noReseller = await makeUser({ role: viewOnly });
    expect(await callerFor(noReseller).nas.list({})).toEqual({ items: [], total: 0 });
    expect(await codeOf(callerFor(noReseller).nas.get({ id: otherId }))).toBe('NOT_FOUND');
    const withReseller = await makeUser({ role: viewOnly, resellerId: resellerUser.resellerId });
    expect((await callerFor(withReseller).nas.list({ limit: 1000 })).items.map((n) => n.id)).toEqual(
      (await callerFor(resellerUser).nas.list({ limit: 1000 })).items.map((n) => n.id),
    );
    const seesAll = await makeUser({ role: await makeRole(['nas.view', 'nas.all']) });
    expect(await codeOf(callerFor(seesAll).nas.get({ id: otherId }))).toBe('OK');
  });

  it('assigns a NAS created by a reseller to that reseller', async () => {
    const { id } = await callerFor(resellerUser).nas.create(form());
    const got = await callerFor(resellerUser).nas.get({ id });
    expect(got.resellers.map((r) => r.id)).toEqual([resellerUser.resellerId]);
  });
});

describe('create / update / delete', () => {
  it('turns a duplicate IP into a field error, also for concurrent creates', async () => {
    const ip = nextIp();
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => callerFor(admin).nas.create(form({ ipAddress: ip }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      const err = (r as PromiseRejectedResult).reason as TRPCError;
      expect(err.code).toBe('CONFLICT');
      expect(err.message).toBe(`a NAS with IP ${ip} already exists`);
    }
  });

  it('compares IPv6 canonically', async () => {
    await callerFor(admin).nas.create(form({ ipAddress: '2001:db8:ab::1' }));
    const err = await callerFor(admin)
      .nas.create(form({ ipAddress: '2001:0DB8:00ab:0::0:1' }))
      .catch((e) => e);
    expect(err.message).toBe('a NAS with IP 2001:db8:ab::1 already exists');
  });

  it('rejects bad input naming the field and changes nothing', async () => {
    const before = await callerFor(admin).nas.list({ limit: 1 });
    const err = (await callerFor(admin)
      .nas.create(form({ ipAddress: '300.1.1.1', authPort: 0 }))
      .catch((e) => e)) as TRPCError;
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/IP Address "300.1.1.1" is not an IPv4 or IPv6 address/);
    expect(err.message).toMatch(/Auth Port must be between 1 and 65535/);
    expect((await callerFor(admin).nas.list({ limit: 1 })).total).toBe(before.total);
  });

  it('keeps the stored secret on an empty edit and can clear the API password', async () => {
    const nas = await makeNas(admin, { apiUsername: 'panel', apiPassword: 'api-pass-1' });
    const cur = await callerFor(admin).nas.get({ id: nas.id });
    expect(cur).toMatchObject({ hasSecret: true, hasApiPassword: true, hasApiCredentials: true });
    const r1 = await callerFor(admin).nas.update({ ...cur, secret: '', apiPassword: '' });
    expect(r1.changedFields).toEqual([]);
    const r2 = await callerFor(admin).nas.update({ ...cur, secret: 'new-secret', apiPassword: '', clearApiPassword: true });
    expect(r2.changedFields.sort()).toEqual(['apiPassword', 'secret']);
    const after = await callerFor(admin).nas.get({ id: nas.id });
    expect(after).toMatchObject({ hasSecret: true, hasApiPassword: false, hasApiCredentials: false });
    const history = await callerFor(admin).nas.history({ id: nas.id });
    expect(history[0].summary).toContain('secret changed');
    expect(history[0].summary).toContain('apiPassword cleared');
    expect(JSON.stringify(history)).not.toContain('new-secret');
  });

  it('refuses to delete a NAS with open sessions, naming the count', async () => {
    const nas = await makeNas(admin);
    await openSessions(nas.ipAddress, 3);
    const err = (await callerFor(admin)
      .nas.delete({ id: nas.id })
      .catch((e) => e)) as TRPCError;
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe(`cannot delete NAS ${nas.name}: 3 active sessions are open on ${nas.ipAddress}; disconnect them first`);
    expect((await callerFor(admin).nas.get({ id: nas.id })).activeSessions).toBe(3);
    await db().execute(sql`update radacct set acctstoptime = now() where nasipaddress = ${nas.ipAddress}::inet`);
    await callerFor(admin).nas.delete({ id: nas.id });
    expect(await codeOf(callerFor(admin).nas.get({ id: nas.id }))).toBe('NOT_FOUND');
  });

  it('writes an audit entry in the same transaction as each change', async () => {
    const nas = await makeNas(admin);
    const cur = await callerFor(admin).nas.get({ id: nas.id });
    await callerFor(admin).nas.update({ ...cur, name: cur.name + '-x', secret: '', apiPassword: '' });
    await callerFor(admin).nas.delete({ id: nas.id });
    const rows = await db().execute<{ action: string; actor_email: string }>(
      sql`select action, actor_email from audit_log where entity_type = 'nas' and entity_id = ${nas.id} order by id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['nas.create', 'nas.update', 'nas.delete']);
    expect(rows.every((r) => r.actor_email === admin.email)).toBe(true);
  });
});

describe('list', () => {
  it('counts open sessions per NAS, searches by name and IP, filters by status', async () => {
    const nas = await makeNas(admin, { name: uid('Searchable') });
    await openSessions(nas.ipAddress, 2);
    await db().execute(
      sql`insert into radacct (acctsessionid, acctuniqueid, nasipaddress, acctstarttime, acctstoptime) values ('c', ${uid('closed')}, ${nas.ipAddress}::inet, now(), now())`,
    );
    const byName = await callerFor(admin).nas.list({ search: nas.name.slice(0, 14) });
    expect(byName.items.find((n) => n.id === nas.id)?.activeSessions).toBe(2);
    const byIp = await callerFor(admin).nas.list({ search: nas.ipAddress });
    expect(byIp.items.map((n) => n.id)).toEqual([nas.id]);
    await db().execute(sql`update nas_devices set is_online = true where id = ${nas.id}`);
    expect((await callerFor(admin).nas.list({ status: 'online', limit: 1000 })).items.map((n) => n.id)).toEqual([nas.id]);
    expect((await callerFor(admin).nas.list({ status: 'offline', limit: 1000 })).items.map((n) => n.id)).not.toContain(nas.id);
  });

  it('pages with a total', async () => {
    const all = await callerFor(admin).nas.list({ limit: 1000 });
    const page = await callerFor(admin).nas.list({ limit: 2, offset: 1 });
    expect(page.total).toBe(all.total);
    expect(page.items.map((n) => n.id)).toEqual(all.items.slice(1, 3).map((n) => n.id));
    expect(await callerFor(admin).nas.list({ limit: 5, offset: 100000 })).toEqual({ items: [], total: all.total });
  });
});
