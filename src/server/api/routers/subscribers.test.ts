import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { ZodError } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/auth/actor';
import { decryptSecret } from '@/server/crypto/secret-box';
import { db } from '@/server/db/client';
import { FieldError } from '@/server/errors';
import { subscriberPasswordBinding } from '@/server/radius-service/subscribers';
import { closeSessions, importPool, makePlan, makeSubscriber, offerPlan, openSession } from '@/server/services/subscribers/test-fixtures';
import { assign, callerFor, makeNas, makeReseller, makeRole, makeUser, uid } from '@/test/fixtures';

/**
 * What a call came to: OK, or the tRPC code and, for a field error, the field and its message, so a case that
 * fails for another reason (a FORBIDDEN where a NOT_FOUND was due, a plan error where the NAS was wrong) shows.
 */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    if (e.cause instanceof FieldError) return `${e.code} ${e.cause.field}: ${e.message}`;
    return e.code;
  }
}

async function rejection(p: Promise<unknown>): Promise<TRPCError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'the call succeeded').toBeInstanceOf(TRPCError);
  return e as TRPCError;
}

let admin: Actor;
let operator: Actor;
let reseller: Actor;
let otherReseller: Actor;
let resellerWithoutId: Actor;
let resellerId: number;
let otherResellerId: number;
/** Assigned to `reseller`; `otherNas` to the other reseller; `bareNas` to nobody. */
let ownNas: { id: number; ipAddress: string };
let otherNas: { id: number; ipAddress: string };
let bareNas: { id: number; ipAddress: string };
let ownPlan: number;
let foreignPlan: number;

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  operator = await makeUser({ role: 'operator' });
  resellerId = await makeReseller();
  otherResellerId = await makeReseller();
  reseller = await makeUser({ role: 'reseller', resellerId });
  otherReseller = await makeUser({ role: 'reseller', resellerId: otherResellerId });
  resellerWithoutId = await makeUser({ role: 'reseller', resellerId: null });
  ownNas = await makeNas(admin);
  otherNas = await makeNas(admin);
  bareNas = await makeNas(admin);
  await assign(resellerId, ownNas.id);
  await assign(otherResellerId, otherNas.id);
  ownPlan = await makePlan({ resellerIds: [resellerId] });
  foreignPlan = await makePlan({ resellerIds: [otherResellerId] });
});

const form = (over: Record<string, unknown> = {}) => ({
  username: uid('sub'),
  password: 'sub-password-1',
  nasId: ownNas.id,
  planId: ownPlan,
  ...over,
});

describe('the reseller guard, every procedure', () => {
  // "in scope": the reseller's own subscriber; "out of scope": the other reseller's. "unassigned NAS" and
  // "foreign plan": the reseller acting on its own subscriber with a NAS / plan that is not its reseller's.
  type Who = 'anonymous' | 'admin' | 'operator' | 'in scope' | 'out of scope' | 'without reseller id' | 'unassigned NAS' | 'foreign plan';
  const NAS_NOT_FOUND = 'BAD_REQUEST nasId: NAS not found';
  const PLAN_NOT_FOUND = 'BAD_REQUEST planId: Plan not found';
  const expected: Record<string, Partial<Record<Who, string>>> = {
    get: {
      anonymous: 'UNAUTHORIZED',
      admin: 'OK',
      operator: 'OK',
      'in scope': 'OK',
      'out of scope': 'NOT_FOUND',
      'without reseller id': 'NOT_FOUND',
    },
    create: {
      anonymous: 'UNAUTHORIZED',
      admin: 'OK',
      operator: 'FORBIDDEN',
      'in scope': 'OK',
      'without reseller id': NAS_NOT_FOUND,
      'unassigned NAS': NAS_NOT_FOUND,
      'foreign plan': PLAN_NOT_FOUND,
    },
    update: {
      anonymous: 'UNAUTHORIZED',
      admin: 'OK',
      operator: 'FORBIDDEN',
      'in scope': 'OK',
      'out of scope': 'NOT_FOUND',
      'without reseller id': 'NOT_FOUND',
      'unassigned NAS': NAS_NOT_FOUND,
      'foreign plan': PLAN_NOT_FOUND,
    },
    delete: {
      anonymous: 'UNAUTHORIZED',
      admin: 'OK',
      operator: 'FORBIDDEN',
      'in scope': 'OK',
      'out of scope': 'NOT_FOUND',
      'without reseller id': 'NOT_FOUND',
    },
  };

  const actorOf = (who: Who): Actor | null =>
    ({
      anonymous: null,
      admin,
      operator,
      'in scope': reseller,
      'out of scope': reseller,
      'without reseller id': resellerWithoutId,
      'unassigned NAS': reseller,
      'foreign plan': reseller,
    })[who];

  for (const [proc, cases] of Object.entries(expected)) {
    for (const [who, code] of Object.entries(cases) as [Who, string][]) {
      it(`${proc} as ${who} → ${code}`, async () => {
        // A fresh subscriber per case (deletes consume one): the other reseller's for "out of scope".
        const target =
          who === 'out of scope'
            ? await makeSubscriber(otherReseller, { nasId: otherNas.id, planId: foreignPlan })
            : await makeSubscriber(reseller, { nasId: ownNas.id, planId: ownPlan });
        const over = who === 'unassigned NAS' ? { nasId: bareNas.id } : who === 'foreign plan' ? { planId: foreignPlan } : {};
        const caller = callerFor(actorOf(who));
        const run = {
          get: () => caller.subscribers.get({ id: target.id }),
          create: () => caller.subscribers.create(form(over)),
          update: () => caller.subscribers.update({ ...target, resellerId, password: '', enabled: false, ...over }),
          delete: () => caller.subscribers.delete({ id: target.id }),
        }[proc]!;
        const before = await db().execute<{ n: number }>(sql`select count(*)::int as n from subscribers`);
        expect(await outcome(run())).toBe(code);
        if (code !== 'OK') {
          // Refused means nothing changed.
          const after = await db().execute<{ n: number }>(sql`select count(*)::int as n from subscribers`);
          expect(after[0].n).toBe(before[0].n);
          const [row] = await db().execute<{ is_active: boolean }>(sql`select is_active from subscribers where id = ${target.id}`);
          expect(row.is_active).toBe(true);
        }
      });
    }
  }

  it('list and formOptions: each sees only its own, and nothing without a reseller id', async () => {
    const mine = await makeSubscriber(reseller, { nasId: ownNas.id, planId: ownPlan });
    const theirs = await makeSubscriber(otherReseller, { nasId: otherNas.id, planId: foreignPlan });
    const ids = async (a: Actor) => (await callerFor(a).subscribers.list({ limit: 200 })).items.map((s) => s.id);
    expect(await ids(admin)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await ids(operator)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await ids(reseller)).toContain(mine.id);
    expect(await ids(reseller)).not.toContain(theirs.id);
    expect(await callerFor(resellerWithoutId).subscribers.list({})).toMatchObject({ items: [], total: 0 });
    expect(await outcome(callerFor(null).subscribers.list({}))).toBe('UNAUTHORIZED');
    expect(await outcome(callerFor(await makeUser({ role: await makeRole([]) })).subscribers.list({}))).toBe('FORBIDDEN');

    const opts = await callerFor(reseller).subscribers.formOptions();
    expect(opts.nas.map((n) => n.id)).toEqual([ownNas.id]);
    expect(opts.nas[0].resellerIds).toEqual([resellerId]);
    expect(opts.resellers).toEqual([]);
    expect(opts.plans.map((p) => p.id)).toContain(ownPlan);
    expect(opts.plans.map((p) => p.id)).not.toContain(foreignPlan);
    expect((await callerFor(resellerWithoutId).subscribers.formOptions()).nas).toEqual([]);
    const all = await callerFor(admin).subscribers.formOptions();
    expect(all.nas.map((n) => n.id)).toEqual(expect.arrayContaining([ownNas.id, otherNas.id, bareNas.id]));
    expect(all.resellers.map((r) => r.id)).toEqual(expect.arrayContaining([resellerId, otherResellerId]));
  });

  it("gives a reseller's subscriber its reseller whatever the input says; an admin chooses, within that reseller's NAS and plans", async () => {
    const { id } = await callerFor(reseller).subscribers.create(form({ resellerId: otherResellerId }));
    expect((await callerFor(admin).subscribers.get({ id })).reseller?.id).toBe(resellerId);

    expect(await outcome(callerFor(admin).subscribers.create(form({ resellerId: otherResellerId })))).toBe(
      'BAD_REQUEST nasId: NAS not found',
    );
    expect(await outcome(callerFor(admin).subscribers.create(form({ resellerId: otherResellerId, nasId: otherNas.id })))).toBe(
      'BAD_REQUEST planId: Plan not found',
    );
    const ok = await callerFor(admin).subscribers.create(form({ resellerId: otherResellerId, nasId: otherNas.id, planId: foreignPlan }));
    expect((await callerFor(otherReseller).subscribers.get({ id: ok.id })).reseller?.id).toBe(otherResellerId);
    // Without a reseller: any NAS, any plan.
    const own = await callerFor(admin).subscribers.create(form({ nasId: bareNas.id, planId: foreignPlan }));
    expect((await callerFor(admin).subscribers.get({ id: own.id })).reseller).toBeNull();
    expect(await outcome(callerFor(admin).subscribers.create(form({ resellerId: 2_000_000_000 })))).toBe(
      'BAD_REQUEST resellerId: Reseller not found',
    );
    expect(await outcome(callerFor(admin).subscribers.create(form({ nasId: 2_000_000_000 })))).toBe('BAD_REQUEST nasId: NAS not found');
    expect(await outcome(callerFor(admin).subscribers.create(form({ planId: 2_000_000_000 })))).toBe('BAD_REQUEST planId: Plan not found');
  });

  it('a NAS moved away from the reseller keeps its subscribers, flagged, still editable, and takes no new ones', async () => {
    const nas = await makeNas(admin);
    await assign(resellerId, nas.id);
    const sub = await makeSubscriber(reseller, { nasId: nas.id, planId: ownPlan });
    expect((await callerFor(reseller).subscribers.get({ id: sub.id })).nasNotAssigned).toBe(false);
    await db().execute(sql`delete from reseller_nas where nas_id = ${nas.id} and reseller_id = ${resellerId}`);

    const got = await callerFor(reseller).subscribers.get({ id: sub.id });
    expect(got).toMatchObject({ nasNotAssigned: true, nas: { id: nas.id } });
    const listed = await callerFor(reseller).subscribers.list({ search: sub.username });
    expect(listed.items.map((s) => [s.id, s.nasNotAssigned])).toEqual([[sub.id, true]]);
    expect((await callerFor(admin).subscribers.get({ id: sub.id })).nasNotAssigned).toBe(true);

    // Editing what else it has is fine; putting a subscriber there is not.
    const r = await callerFor(reseller).subscribers.update({ ...sub, resellerId: null, password: '', enabled: false });
    expect(r.changedFields).toEqual(['enabled']);
    expect(await outcome(callerFor(reseller).subscribers.create(form({ nasId: nas.id })))).toBe('BAD_REQUEST nasId: NAS not found');
    const other = await makeSubscriber(reseller, { nasId: ownNas.id, planId: ownPlan });
    expect(await outcome(callerFor(reseller).subscribers.update({ ...other, resellerId: null, password: '', nasId: nas.id }))).toBe(
      'BAD_REQUEST nasId: NAS not found',
    );
  });
});

describe('create / update / delete', () => {
  it('turns a taken username into a field error, also for 10 concurrent creates of one name', async () => {
    const username = uid('dup');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => callerFor(admin).subscribers.create(form({ username, password: `pw-${i}` }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      const err = r.reason as TRPCError;
      expect(err.code).toBe('CONFLICT');
      expect((err.cause as FieldError).field).toBe('username');
      expect(err.message).toBe(`a subscriber named ${username} already exists`);
    }
    const rows = await db().execute<{ n: number }>(sql`select count(*)::int as n from subscribers where username = ${username}`);
    expect(rows[0].n).toBe(1);
    // And on rename.
    const other = await makeSubscriber(admin, { nasId: ownNas.id, planId: ownPlan });
    expect(await outcome(callerFor(admin).subscribers.update({ ...other, password: '', username }))).toBe(
      `CONFLICT username: a subscriber named ${username} already exists`,
    );
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ username: '' }, /^Username is required$/],
      [{ username: 'with space' }, /^Username must not contain spaces$/],
      [{ username: 'bell\u0007' }, /^Username must not contain control characters$/],
      [{ username: 'x'.repeat(65) }, /^Username must be at most 64 characters$/],
      [{ password: '' }, /^Password is required/],
      [{ password: 'é'.repeat(65) }, /^Password must be at most 128 bytes/],
      [{ password: 'line\nbreak' }, /^Password must not contain line breaks/],
      [{ nasId: 0 }, /^NAS must be between 1 and/],
      [{ nasId: 'one' }, /^NAS must be a number$/],
      [{ nasId: undefined }, /^NAS is required$/],
      [{ planId: -1 }, /^Plan must be between 1 and/],
      [{ planId: 1.5 }, /^Plan must be a whole number$/],
      [{ staticIp: '300.1.1.1' }, /^Static IP "300.1.1.1" is not an IPv4 or IPv6 address$/],
      [{ staticIp: '10.0.0.0/24' }, /^Static IP "10.0.0.0\/24" is not an IPv4 or IPv6 address$/],
      [{ enabled: 'yes' }, /^Enabled must be true or false$/],
      [{ resellerId: 0 }, /^Reseller must be between 1 and/],
    ];
    const before = await db().execute<{ n: number }>(sql`select count(*)::int as n from subscribers`);
    for (const [over, message] of bad) {
      const err = await rejection(callerFor(admin).subscribers.create(form(over) as never));
      expect(err.code, JSON.stringify(over)).toBe('BAD_REQUEST');
      expect(err.cause).toBeInstanceOf(ZodError);
      const field = Object.keys(over)[0];
      const issues = (err.cause as ZodError).issues;
      expect(
        issues.map((i) => i.path[0]),
        JSON.stringify(over),
      ).toEqual([field]);
      expect(issues[0].message, JSON.stringify(over)).toMatch(message);
    }
    const after = await db().execute<{ n: number }>(sql`select count(*)::int as n from subscribers`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('a static IP must be unique and inside one of the NAS’s imported pools when it has any', async () => {
    const nas = await makeNas(admin);
    await assign(resellerId, nas.id);
    // No pools imported: any address.
    const free = await callerFor(reseller).subscribers.create(form({ nasId: nas.id, staticIp: '192.0.2.10' }));
    await importPool(nas.id, 'pppoe', ['100.64.0.1', '100.64.0.2', '2001:db8::5']);
    expect(await outcome(callerFor(reseller).subscribers.create(form({ nasId: nas.id, staticIp: '192.0.2.11' })))).toBe(
      'BAD_REQUEST staticIp: Static IP 192.0.2.11 is not in any IP pool imported from this NAS',
    );
    // Another NAS's pool does not count.
    await importPool(ownNas.id, 'other', ['100.64.9.9']);
    expect(await outcome(callerFor(reseller).subscribers.create(form({ nasId: nas.id, staticIp: '100.64.9.9' })))).toMatch(
      /^BAD_REQUEST staticIp/,
    );
    const inPool = await callerFor(reseller).subscribers.create(form({ nasId: nas.id, staticIp: '100.64.0.1' }));
    await callerFor(reseller).subscribers.create(form({ nasId: nas.id, staticIp: '2001:DB8:0::5' }));
    expect(await outcome(callerFor(reseller).subscribers.create(form({ nasId: nas.id, staticIp: '100.64.0.1' })))).toBe(
      'CONFLICT staticIp: static IP 100.64.0.1 is already given to another subscriber',
    );
    expect(await outcome(callerFor(reseller).subscribers.create(form({ nasId: nas.id, staticIp: '2001:db8::5' })))).toMatch(
      /^CONFLICT staticIp/,
    );
    // Moving to a NAS whose pools do not hold the address is refused too; an unchanged address on an unchanged NAS is kept.
    const freeRow = await callerFor(reseller).subscribers.get({ id: free.id });
    expect(freeRow.staticIp).toBe('192.0.2.10');
    const sub = await callerFor(reseller).subscribers.get({ id: inPool.id });
    expect(
      await outcome(
        callerFor(reseller).subscribers.update({
          id: sub.id,
          username: sub.username,
          password: '',
          nasId: ownNas.id,
          planId: ownPlan,
          staticIp: sub.staticIp ?? '',
          enabled: true,
          resellerId: null,
        }),
      ),
    ).toBe('BAD_REQUEST staticIp: Static IP 100.64.0.1 is not in any IP pool imported from this NAS');
  });

  it('seals the password to its row, keeps it on an empty edit, and never returns it', async () => {
    const password = 'Sealed-Password-42';
    const { id } = await callerFor(reseller).subscribers.create(form({ password }));
    const stored = async () => (await db().execute<{ p: string }>(sql`select password_enc as p from subscribers where id = ${id}`))[0].p;
    const enc = await stored();
    expect(enc).not.toContain(password);
    expect(decryptSecret(enc, subscriberPasswordBinding(id))).toBe(password);
    expect(() => decryptSecret(enc, subscriberPasswordBinding(id + 1))).toThrow();

    const got = await callerFor(reseller).subscribers.get({ id });
    expect(got.hasPassword).toBe(true);
    const list = await callerFor(reseller).subscribers.list({ search: got.username });
    for (const out of [got, list]) {
      const json = JSON.stringify(out);
      expect(json).not.toContain(password);
      expect(json).not.toContain(enc.split('.')[4]);
      expect(json).not.toMatch(/password_?enc/i);
    }

    const base = { id, username: got.username, nasId: ownNas.id, planId: ownPlan, resellerId: null, staticIp: '', enabled: true };
    expect((await callerFor(reseller).subscribers.update({ ...base, password: '' })).changedFields).toEqual([]);
    expect(await stored()).toBe(enc);
    expect((await callerFor(reseller).subscribers.update({ ...base, password })).changedFields).toEqual([]);
    expect((await callerFor(reseller).subscribers.update({ ...base, password: 'New-Password-43' })).changedFields).toEqual(['password']);
    expect(decryptSecret(await stored(), subscriberPasswordBinding(id))).toBe('New-Password-43');
  });

  it('audits create, update and delete in the same transaction, naming the password only as set or changed', async () => {
    const password = 'Audit-Password-77';
    const { id } = await callerFor(reseller).subscribers.create(form({ password }));
    const got = await callerFor(reseller).subscribers.get({ id });
    await callerFor(reseller).subscribers.update({
      id,
      username: got.username,
      nasId: ownNas.id,
      planId: ownPlan,
      resellerId: null,
      staticIp: '',
      enabled: false,
      password: 'Audit-Password-78',
    });
    await callerFor(reseller).subscribers.delete({ id });
    const rows = await db().execute<{ action: string; summary: string; changes: Record<string, unknown>; actor_email: string }>(
      sql`select action, summary, changes, actor_email from audit_log where entity_type = 'subscriber' and entity_id = ${id} order by id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['subscriber.create', 'subscriber.update', 'subscriber.delete']);
    expect(rows.every((r) => r.actor_email === reseller.email)).toBe(true);
    expect(rows[0].changes).toMatchObject({ username: { from: null, to: got.username }, password: 'set' });
    expect(rows[1].changes).toEqual({ enabled: { from: true, to: false }, password: 'changed' });
    expect(rows[1].summary).toContain('password changed');
    const text = JSON.stringify(rows);
    expect(text).not.toContain('Audit-Password');
    expect(text).not.toContain('v2.');

    // The detail page's history shows them (before the delete): fields, never values of the password.
    const again = await makeSubscriber(reseller, { nasId: ownNas.id, planId: ownPlan });
    const history = (await callerFor(reseller).subscribers.get({ id: again.id })).history;
    expect(history.map((h) => h.action)).toEqual(['subscriber.create']);
    expect(history[0].changedFields).toContain('password');

    // A write whose audit fails leaves nothing behind (same transaction).
    await db().execute(sql`create or replace function fail_subscriber_audit() returns trigger language plpgsql as $$
      begin if new.entity_type = 'subscriber' then raise exception 'audit refused'; end if; return new; end $$`);
    await db().execute(
      sql`create trigger fail_subscriber_audit before insert on audit_log for each row execute function fail_subscriber_audit()`,
    );
    try {
      const username = uid('no-audit');
      await expect(callerFor(reseller).subscribers.create(form({ username }))).rejects.toThrow();
      const left = await db().execute(sql`select 1 from subscribers where username = ${username}`);
      expect(left).toHaveLength(0);
    } finally {
      await db().execute(sql`drop trigger fail_subscriber_audit on audit_log`);
    }
  });

  it('refuses to delete while a session is open, with the count, and deletes once closed', async () => {
    const sub = await makeSubscriber(reseller, { nasId: ownNas.id, planId: ownPlan });
    await openSession({ username: sub.username, nasIp: ownNas.ipAddress, framedIp: '100.64.1.1' });
    await openSession({ username: sub.username, nasIp: ownNas.ipAddress, framedIp: '100.64.1.2' });
    const err = await rejection(callerFor(reseller).subscribers.delete({ id: sub.id }));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe(`cannot delete subscriber ${sub.username}: 2 sessions are open; disconnect them first`);
    expect(await outcome(callerFor(reseller).subscribers.get({ id: sub.id }))).toBe('OK');
    await closeSessions(sub.username);
    expect(await outcome(callerFor(reseller).subscribers.delete({ id: sub.id }))).toBe('OK');
    expect(await outcome(callerFor(reseller).subscribers.get({ id: sub.id }))).toBe('NOT_FOUND');
  });
});

describe('list and detail', () => {
  let nas: { id: number; ipAddress: string };
  let planB: number;
  let prefix: string;
  const subs: Record<string, { id: number; username: string }> = {};

  beforeAll(async () => {
    nas = await makeNas(admin);
    await assign(resellerId, nas.id);
    planB = await makePlan({ resellerIds: [resellerId] });
    prefix = uid('ls');
    for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) {
      subs[name] = await makeSubscriber(reseller, {
        username: `${prefix}-${name}`,
        nasId: name === 'echo' ? ownNas.id : nas.id,
        planId: name === 'delta' ? planB : ownPlan,
        staticIp: name === 'charlie' ? '198.51.100.33' : '',
      });
    }
    await openSession({ username: subs.alpha.username, nasIp: nas.ipAddress, framedIp: '100.65.0.7', mac: 'AA:BB:CC:00:11:22' });
    await openSession({
      username: subs.bravo.username,
      nasIp: nas.ipAddress,
      framedIp: '100.65.0.8',
      mac: '00:11:22:33:44:55',
      startedAt: new Date(Date.now() - 3_600_000),
      stoppedAt: new Date(Date.now() - 1_800_000),
    });
  });

  const names = (items: { username: string }[]) => items.map((s) => s.username.slice(prefix.length + 1));
  const list = (input: Parameters<ReturnType<typeof callerFor>['subscribers']['list']>[0]) =>
    callerFor(reseller).subscribers.list({ search: prefix, ...input });

  it('shows online now with the session’s IP, the last session, NAS, plan and reseller', async () => {
    const { items } = await list({});
    expect(names(items)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    const alpha = items[0];
    expect(alpha).toMatchObject({
      enabled: true,
      nas: { id: nas.id, ipAddress: nas.ipAddress },
      plan: { id: ownPlan },
      reseller: { id: resellerId },
      nasNotAssigned: false,
      online: { framedIp: '100.65.0.7', nasIp: nas.ipAddress, callingStationId: 'AA:BB:CC:00:11:22' },
    });
    expect(Date.now() - Date.parse(alpha.online!.startedAt!)).toBeLessThan(60_000);
    expect(items[1].online).toBeNull();
    expect(items[1].lastSessionAt).not.toBeNull();
    expect(items[2].lastSessionAt).toBeNull();
  });

  it('searches by the start of a username, static IP, an open session’s IP, and an open or recent session’s MAC', async () => {
    expect(names((await list({ search: `${prefix}-ch` })).items)).toEqual(['charlie']);
    expect(names((await list({ search: `${prefix}-CHAR`.toUpperCase() })).items)).toEqual(['charlie']);
    expect(names((await list({ search: '198.51.100.33' })).items)).toEqual(['charlie']);
    expect(names((await list({ search: '100.65.0.7' })).items)).toEqual(['alpha']);
    // A closed session's address is someone else's by now.
    expect((await list({ search: '100.65.0.8' })).items).toEqual([]);
    expect(names((await list({ search: 'aa-bb-cc-00-11-22' })).items)).toEqual(['alpha']);
    expect(names((await list({ search: '0011.2233.4455' })).items)).toEqual(['bravo']);
    // Wildcards are literal.
    expect((await list({ search: `${prefix}%` })).items).toEqual([]);
    // Another reseller's subscriber is not found by any of these.
    expect((await callerFor(otherReseller).subscribers.list({ search: '100.65.0.7' })).items).toEqual([]);
  });

  it('filters by NAS, plan and online, and pages by username', async () => {
    expect(names((await list({ nasId: ownNas.id })).items)).toEqual(['echo']);
    expect(names((await list({ planId: planB })).items)).toEqual(['delta']);
    expect(names((await list({ online: 'online' })).items)).toEqual(['alpha']);
    expect(names((await list({ online: 'offline' })).items)).toEqual(['bravo', 'charlie', 'delta', 'echo']);
    const p1 = await list({ limit: 2 });
    expect(names(p1.items)).toEqual(['alpha', 'bravo']);
    expect(p1).toMatchObject({ total: 5, totalCapped: false });
    const p2 = await list({ limit: 2, after: p1.nextCursor });
    expect(names(p2.items)).toEqual(['charlie', 'delta']);
    const p3 = await list({ limit: 2, after: p2.nextCursor });
    expect(names(p3.items)).toEqual(['echo']);
    expect(p3.nextCursor).toBeNull();
  });

  it('details: the last 50 sessions, newest first, with bytes and terminate cause', async () => {
    const sub = subs.delta;
    const t0 = Date.now() - 100 * 3_600_000;
    for (let i = 0; i < 55; i++) {
      await openSession({
        username: sub.username,
        nasIp: nas.ipAddress,
        framedIp: `100.66.0.${i + 1}`,
        startedAt: new Date(t0 + i * 3_600_000),
        stoppedAt: new Date(t0 + i * 3_600_000 + 60_000),
        inputOctets: 1000 + i,
        outputOctets: 5_000_000_000 + i,
        cause: i % 2 ? 'User-Request' : 'Lost-Carrier',
      });
    }
    const got = await callerFor(reseller).subscribers.get({ id: sub.id });
    expect(got.sessions).toHaveLength(50);
    expect(got.sessions[0]).toMatchObject({
      framedIp: '100.66.0.55',
      inputBytes: 1054,
      outputBytes: 5_000_000_054,
      terminateCause: 'Lost-Carrier',
      sessionTime: 60,
      nasIp: nas.ipAddress,
    });
    expect(got.sessions[49].framedIp).toBe('100.66.0.6');
    expect(got.lastSessionAt).toBe(got.sessions[0].startedAt);
  });
});

describe('Total Users on the NAS page', () => {
  it('is the NAS’s subscriber count in the list and the detail, following creates, moves and deletes', async () => {
    const a = await makeNas(admin);
    const b = await makeNas(admin);
    const total = async (id: number) => {
      const inList = (await callerFor(admin).nas.list({ limit: 1000 })).items.find((n) => n.id === id)!.totalUsers;
      const inDetail = (await callerFor(admin).nas.get({ id })).totalUsers;
      expect(inList).toBe(inDetail);
      return inDetail;
    };
    expect(await total(a.id)).toBe(0);
    const subs = [];
    for (let i = 0; i < 3; i++) subs.push(await makeSubscriber(admin, { nasId: a.id, planId: ownPlan }));
    expect([await total(a.id), await total(b.id)]).toEqual([3, 0]);
    await callerFor(admin).subscribers.update({ ...subs[0], password: '', nasId: b.id, staticIp: '' });
    expect([await total(a.id), await total(b.id)]).toEqual([2, 1]);
    await callerFor(admin).subscribers.delete({ id: subs[1].id });
    expect([await total(a.id), await total(b.id)]).toEqual([1, 1]);
    // A reseller sees the count of the NAS assigned to it.
    await assign(resellerId, a.id);
    expect((await callerFor(reseller).nas.get({ id: a.id })).totalUsers).toBe(1);
  });

  it('reads the maintained count rather than counting subscribers per request', async () => {
    const nas = await makeNas(admin);
    await makeSubscriber(admin, { nasId: nas.id, planId: ownPlan });
    await db().execute(sql`update nas_subscriber_counts set subscribers = 4242 where nas_id = ${nas.id}`);
    expect((await callerFor(admin).nas.get({ id: nas.id })).totalUsers).toBe(4242);
    expect((await callerFor(admin).nas.list({ limit: 1000 })).items.find((n) => n.id === nas.id)!.totalUsers).toBe(4242);
  });
});

describe('offered plans', () => {
  it('a plan offered to the reseller later becomes usable', async () => {
    const plan = await makePlan();
    expect(await outcome(callerFor(reseller).subscribers.create(form({ planId: plan })))).toBe('BAD_REQUEST planId: Plan not found');
    await offerPlan(plan, resellerId);
    expect(await outcome(callerFor(reseller).subscribers.create(form({ planId: plan })))).toBe('OK');
  });
});
