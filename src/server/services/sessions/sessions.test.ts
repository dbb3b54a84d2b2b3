import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionCursor } from '@/lib/schemas/sessions';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { acctUniqueId, AcctStatus, type AccountingRecord } from '@/server/radius-service/accounting-record';
import { AccountingWriter } from '@/server/radius-service/accounting-writer';
import type { NasClient } from '@/server/radius-service/nas-clients';
import { assign, callerFor, makeNas, makeReseller, makeRole, makeUser, uid } from '@/test/fixtures';

/**
 * The Sessions page's procedures against the real radacct, its triggers and pools: the reseller scope in every
 * one, the filters and search, keyset paging under churn, and closing by hand as a Stop would.
 */
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return e.code;
  }
}

let admin: Actor;
let operator: Actor;
let reseller: Actor;
let resellerWithoutId: Actor;
/** Assigned to `reseller`; `otherNas` to another reseller. */
let ownNas: { id: number; ipAddress: string; name: string };
let otherNas: { id: number; ipAddress: string; name: string };

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  operator = await makeUser({ role: 'operator' });
  const resellerId = await makeReseller();
  const otherResellerId = await makeReseller();
  reseller = await makeUser({ role: 'reseller', resellerId });
  resellerWithoutId = await makeUser({ role: 'reseller', resellerId: null });
  ownNas = await makeNas(admin);
  otherNas = await makeNas(admin);
  await assign(resellerId, ownNas.id);
  await assign(otherResellerId, otherNas.id);
});

let seq = 0;
/** An open session as accounting leaves it; `start` may be a timestamptz expression (microseconds, null). */
async function open(
  nasIp: string,
  over: { username?: string; framedIp?: string | null; mac?: string | null; start?: ReturnType<typeof sql> } = {},
): Promise<number> {
  seq++;
  const [r] = await db().execute<{ id: string }>(sql`
    insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, callingstationid,
                         acctstarttime, acctupdatetime, acctinputoctets, acctoutputoctets, nasportid)
    values (${`s${seq}`}, ${uid('u')}, ${over.username ?? uid('user')}, ${nasIp}::inet, ${over.framedIp ?? null}::inet, ${over.mac ?? null},
            ${over.start ?? sql`now()`}, now(), ${seq * 1000}, ${seq * 2000}, ${`<pppoe-${seq}>`})
    returning radacctid as id`);
  return Number(r.id);
}
const openCount = async (ip: string) =>
  (await db().execute<{ open: number }>(sql`select open from nas_session_counts where nasipaddress = ${ip}::inet`))[0]?.open ?? 0;

/** Every page of the list from the start, the ids in order; `between` runs before each next page. */
async function allPages(actor: Actor, input: Record<string, unknown>, between: () => Promise<unknown> = async () => {}) {
  const ids: number[] = [];
  let after: SessionCursor | null = null;
  for (let page = 0; page < 100; page++) {
    const r = await callerFor(actor).sessions.list({ ...input, after });
    ids.push(...r.items.map((s) => s.id));
    if (!r.nextCursor) return ids;
    after = r.nextCursor;
    await between();
  }
  throw new Error('more than 100 pages');
}

describe('the reseller scope, every procedure', () => {
  it('a reseller lists only sessions on its NAS; another reseller’s session is not found to get or close', async () => {
    const mine = await open(ownNas.ipAddress, { username: uid('mine') });
    const theirs = await open(otherNas.ipAddress, { username: uid('theirs') });
    const list = await callerFor(reseller).sessions.list({ limit: 200 });
    const ids = list.items.map((s) => s.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(list.items.every((s) => s.nas?.id === ownNas.id)).toBe(true);
    expect(list.total).toBe(await openCount(ownNas.ipAddress));

    expect((await callerFor(reseller).sessions.get({ id: mine })).nas).toEqual({ id: ownNas.id, name: ownNas.name });
    expect(await code(callerFor(reseller).sessions.get({ id: theirs }))).toBe('NOT_FOUND');
    expect(await code(callerFor(reseller).sessions.close({ id: theirs }))).toBe('NOT_FOUND');
    // Its NAS filter set to another reseller's NAS shows nothing, not even a count.
    const foreign = await callerFor(reseller).sessions.list({ nasId: otherNas.id });
    expect(foreign).toMatchObject({ items: [], total: 0 });
    // Refused and untouched: still open for its own reseller.
    expect((await callerFor(admin).sessions.get({ id: theirs })).stoppedAt).toBeNull();
  });

  it('a reseller user without a reseller sees nothing; the admin and operator see every session', async () => {
    const theirs = await open(otherNas.ipAddress);
    // An address that is no NAS row (deleted since): only `nas.all` sees it, and can close it.
    const orphan = await open('192.0.2.250');
    expect(await callerFor(resellerWithoutId).sessions.list({})).toMatchObject({ items: [], total: 0 });
    expect(await code(callerFor(resellerWithoutId).sessions.get({ id: theirs }))).toBe('NOT_FOUND');
    for (const who of [admin, operator]) {
      const ids = await allPages(who, { limit: 200 });
      expect(ids).toEqual(expect.arrayContaining([theirs, orphan]));
    }
    expect((await callerFor(admin).sessions.get({ id: orphan })).nas).toBeNull();
  });

  it('the NAS filter offers a reseller its own NAS only, by name; the admin every NAS', async () => {
    expect(await callerFor(reseller).sessions.nasOptions()).toEqual([{ id: ownNas.id, name: ownNas.name, ipAddress: ownNas.ipAddress }]);
    expect(await callerFor(resellerWithoutId).sessions.nasOptions()).toEqual([]);
    const all = (await callerFor(admin).sessions.nasOptions()).map((n) => n.id);
    expect(all).toEqual(expect.arrayContaining([ownNas.id, otherNas.id]));
  });

  it('viewing needs sessions.view, closing sessions.disconnect (the operator only looks)', async () => {
    const id = await open(ownNas.ipAddress);
    const noPermission = await makeUser({ role: await makeRole([]) });
    expect(await code(callerFor(null).sessions.list({}))).toBe('UNAUTHORIZED');
    expect(await code(callerFor(noPermission).sessions.list({}))).toBe('FORBIDDEN');
    expect(await code(callerFor(noPermission).sessions.get({ id }))).toBe('FORBIDDEN');
    expect(await code(callerFor(noPermission).sessions.nasOptions())).toBe('FORBIDDEN');
    expect(await code(callerFor(operator).sessions.get({ id }))).toBe('OK');
    expect(await code(callerFor(operator).sessions.close({ id }))).toBe('FORBIDDEN');
    expect(await code(callerFor(reseller).sessions.close({ id }))).toBe('OK');
  });
});

describe('list', () => {
  it('shows what the page needs: user, NAS, addresses, MAC, start, last update, bytes, the subscriber to link to', async () => {
    const username = uid('show');
    const [sub] = await db().execute<{ id: number }>(
      sql`insert into subscribers (username, nas_id) values (${username}, ${ownNas.id}) returning id`,
    );
    const id = await open(ownNas.ipAddress, { username, framedIp: '100.64.9.9', mac: 'AA:BB:CC:DD:EE:01' });
    const [item] = (await callerFor(admin).sessions.list({ search: username })).items;
    expect(item).toMatchObject({
      id,
      username,
      nas: { id: ownNas.id, name: ownNas.name },
      nasIp: ownNas.ipAddress,
      framedIp: '100.64.9.9',
      callingStationId: 'AA:BB:CC:DD:EE:01',
      nasPortId: expect.stringMatching(/^<pppoe-\d+>$/),
      subscriberId: sub.id,
      inputBytes: expect.any(Number),
      outputBytes: expect.any(Number),
    });
    expect(Date.parse(item.startedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(item.updatedAt!)).toBeGreaterThan(Date.now() - 60_000);
    // The subscriber belongs to no reseller: a reseller sees the session (its NAS) but no link to the subscriber.
    expect((await callerFor(reseller).sessions.list({ search: username })).items[0].subscriberId).toBeNull();
  });

  it('filters by NAS, with its exact count', async () => {
    const nas = await makeNas(admin);
    const ids = [await open(nas.ipAddress), await open(nas.ipAddress), await open(nas.ipAddress)];
    await open(ownNas.ipAddress);
    const list = await callerFor(admin).sessions.list({ nasId: nas.id });
    expect(list.items.map((s) => s.id).sort()).toEqual(ids.sort());
    expect(list.total).toBe(3);
    expect(list.totalCapped).toBe(false);
    // A closed session leaves the list and the count.
    await db().execute(sql`update radacct set acctstoptime = now() where radacctid = ${ids[0]}`);
    expect((await callerFor(admin).sessions.list({ nasId: nas.id })).total).toBe(2);
    expect((await callerFor(admin).sessions.list({ nasId: nas.id })).items.map((s) => s.id)).not.toContain(ids[0]);
  });

  it('searches by the start of a username in any case, a Framed-IP, or a MAC in any spelling; only open sessions', async () => {
    const nas = await makeNas(admin);
    const stem = uid('Srch').toLowerCase();
    const a = await open(nas.ipAddress, { username: `${stem}-alice`, framedIp: '100.65.0.1', mac: 'AA:BB:CC:00:11:22' });
    const b = await open(nas.ipAddress, { username: `${stem}-bob`, framedIp: '100.65.0.2', mac: 'aa-bb-cc-00-11-33' });
    const other = await open(nas.ipAddress, { username: `x${stem}-carol` });
    const closed = await open(nas.ipAddress, { username: `${stem}-dave`, framedIp: '100.65.0.1' });
    await db().execute(sql`update radacct set acctstoptime = now() where radacctid = ${closed}`);
    const found = async (search: string) =>
      (await callerFor(admin).sessions.list({ search, nasId: nas.id })).items.map((s) => s.id).sort((x, y) => x - y);
    expect(await found(stem.toUpperCase())).toEqual([a, b]);
    expect(await found(`${stem}-a`)).toEqual([a]);
    expect(await found('100.65.0.1')).toEqual([a]);
    expect(await found('aa:bb:cc:00:11:33')).toEqual([b]);
    expect(await found('aabb.cc00.1122')).toEqual([a]);
    expect(await found(`x${stem}`)).toEqual([other]);
    // LIKE's wildcards are literal characters here.
    expect(await found('%')).toEqual([]);
    expect(await found('_')).toEqual([]);
    const counted = await callerFor(admin).sessions.list({ search: stem, nasId: nas.id, limit: 1 });
    expect(counted).toMatchObject({ total: 2, totalCapped: false });
    expect(counted.nextCursor).not.toBeNull();
  });

  it('pages newest start first, never skipping or repeating a row while sessions open and close between pages', async () => {
    const resellerId = await makeReseller();
    const actor = await makeUser({ role: 'reseller', resellerId });
    const nasA = await makeNas(admin);
    const nasB = await makeNas(admin);
    await assign(resellerId, nasA.id);
    await assign(resellerId, nasB.id);
    const stem = uid('page').toLowerCase();
    // Starts one microsecond apart, ties on the same microsecond (the id breaks them), and one without a start.
    const base = sql`'2026-11-30 08:00:00.000001+00'::timestamptz`;
    const existing: number[] = [];
    for (let i = 0; i < 37; i++) {
      const start = i === 5 ? sql`null` : sql`${base} + ${Math.floor(i / 3)} * interval '1 microsecond'`;
      existing.push(await open(i % 2 ? nasA.ipAddress : nasB.ipAddress, { username: `${stem}-${i}`, start }));
    }
    const closedMeanwhile = new Set<number>();
    let k = 0;
    const churn = async () => {
      // New sessions open (newer and older than the page boundary), and an old one closes.
      await open(nasA.ipAddress, { username: `${stem}-new-${k}` });
      await open(nasB.ipAddress, { username: `${stem}-old-${k}`, start: sql`${base} - interval '1 day'` });
      const gone = existing[(k * 7) % existing.length];
      await db().execute(sql`update radacct set acctstoptime = now() where radacctid = ${gone}`);
      closedMeanwhile.add(gone);
      k++;
    };
    // Each shape of the page query: the reseller's per-NAS merge, one NAS, a search, everyone's (admin).
    for (const [who, input] of [
      [actor, {}],
      [actor, { nasId: nasA.id }],
      [actor, { search: stem }],
      [admin, { search: stem }],
    ] as const) {
      const nasOnly = 'nasId' in input ? sql`and nasipaddress = ${nasA.ipAddress}::inet` : sql``;
      const openNow = await db().execute<{ id: string }>(
        sql`select radacctid as id from radacct where acctstoptime is null and username like ${`${stem}%`} ${nasOnly}`,
      );
      const seen = await allPages(who, { ...input, limit: 4 }, churn);
      expect(new Set(seen).size, 'a row was repeated').toBe(seen.length);
      // Every session open before the first page and still open after the last is on a page.
      for (const { id } of openNow) {
        if (!closedMeanwhile.has(Number(id))) expect(seen, `session ${id} was skipped`).toContain(Number(id));
      }
      // Newest start first, then the higher id; no start sorts last.
      const rows = await db().execute<{ id: string; k: string }>(
        sql`select radacctid as id, extract(epoch from coalesce(acctstarttime, 'epoch'))::numeric * 1000000 as k
            from radacct where radacctid = any(${`{${seen.join(',')}}`}::int8[])`,
      );
      const keyOf = new Map(rows.map((r) => [Number(r.id), BigInt(String(r.k).split('.')[0])]));
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [keyOf.get(seen[i - 1])!, keyOf.get(seen[i])!];
        expect(a > b || (a === b && seen[i - 1] > seen[i]), `${seen[i - 1]} (${a}) before ${seen[i]} (${b})`).toBe(true);
      }
    }
  });
});

describe('close by hand', () => {
  const writer = new AccountingWriter({ batchMs: 2, batchMax: 100, log: () => {} });
  let nas: NasClient;
  beforeAll(async () => {
    const row = await makeNas(admin, { ipAddress: '192.0.2.61' });
    await assign(reseller.resellerId!, row.id);
    nas = {
      id: row.id,
      name: row.name,
      ip: row.ipAddress,
      secret: 's',
      type: 'mikrotik',
      allowedRealms: [],
      isActive: true,
      requireMessageAuthenticator: true,
      hasApi: false,
    };
    await db().execute(sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address, status)
      select ${row.id}, 'pppoe', ('100.66.0.0'::inet + g), 'available' from generate_series(1, 10) g`);
  });
  const record = (statusType: number, sessionId: string, userName: string, over: Partial<AccountingRecord> = {}): AccountingRecord => ({
    statusType,
    userName,
    sessionId,
    uniqueId: acctUniqueId({ userName, sessionId, nasIpAddress: nas.ip }),
    realm: null,
    nasPortId: `<pppoe-${userName}>`,
    nasPortType: 'Virtual',
    eventTime: new Date(Date.now() - 3_600_000),
    sessionTime: null,
    inputOctets: null,
    outputOctets: null,
    terminateCause: null,
    framedIp: null,
    framedIpv6Address: null,
    framedIpv6Prefix: null,
    delegatedIpv6Prefix: null,
    framedInterfaceId: null,
    callingStationId: 'AA:BB:CC:00:00:09',
    calledStationId: 'pppoe',
    serviceType: 'Framed-User',
    framedProtocol: 'PPP',
    acctAuthentic: 'RADIUS',
    connectInfo: null,
    class: null,
    ...over,
  });
  const pool = async (ip: string) =>
    (
      await db().execute<{ status: string; username: string | null }>(
        sql`select status, username from ip_pool_assignments where nas_id = ${nas.id} and ip_address = ${ip}::inet`,
      )
    )[0];
  const idOf = async (sessionId: string) =>
    Number((await db().execute<{ id: string }>(sql`select radacctid as id from radacct where acctsessionid = ${sessionId}`))[0].id);

  it('closes an open session as a Stop would: stop time, session time, cause, the NAS’s count, the pool address, the audit', async () => {
    const user = uid('stuck');
    await writer.write(nas, record(AcctStatus.Start, 'stuck-1', user, { framedIp: '100.66.0.3' }));
    const id = await idOf('stuck-1');
    expect(await pool('100.66.0.3')).toEqual({ status: 'in_use', username: user });
    const openBefore = await openCount(nas.ip);

    const closed = await callerFor(reseller).sessions.close({ id });
    expect(closed).toMatchObject({ id, username: user });
    const [row] = await db().execute<{ stop: string; st: number; cause: string }>(
      sql`select acctstoptime as stop, acctsessiontime::int as st, acctterminatecause as cause from radacct where radacctid = ${id}`,
    );
    expect(row.cause).toBe('Admin-Reset');
    expect(row.st).toBeGreaterThanOrEqual(3599);
    expect(new Date(row.stop).toISOString()).toBe(closed.stoppedAt);
    expect(await openCount(nas.ip)).toBe(openBefore - 1);
    expect(await pool('100.66.0.3')).toEqual({ status: 'available', username: null });
    expect((await callerFor(admin).sessions.list({ nasId: nas.id })).items.map((s) => s.id)).not.toContain(id);

    const [audit] = await db().execute<{ actor_email: string; summary: string; changes: Record<string, unknown> }>(
      sql`select actor_email, summary, changes from audit_log where action = 'session.close' and entity_type = 'session' and entity_id = ${id}`,
    );
    expect(audit.actor_email).toBe(reseller.email);
    expect(audit.summary).toContain(user);
    expect(audit.summary).toContain('no Stop received');
    expect(audit.changes).toMatchObject({ sessionId: id, username: user, framedIp: '100.66.0.3', addressFreed: true });

    // The Stop that arrives after all changes nothing, and the next session of the address takes it again.
    await writer.write(
      nas,
      record(AcctStatus.Stop, 'stuck-1', user, { framedIp: '100.66.0.3', terminateCause: 'Lost-Carrier', sessionTime: 10 }),
    );
    expect((await callerFor(admin).sessions.get({ id })).terminateCause).toBe('Admin-Reset');
    expect(await openCount(nas.ip)).toBe(openBefore - 1);
  });

  it('keeps the address in use while another open session holds it', async () => {
    const [u1, u2] = [uid('dup'), uid('dup')];
    await writer.write(nas, record(AcctStatus.Start, 'dup-1', u1, { framedIp: '100.66.0.5' }));
    await writer.write(nas, record(AcctStatus.Start, 'dup-2', u2, { framedIp: '100.66.0.5', callingStationId: 'AA:BB:CC:00:00:10' }));
    await callerFor(admin).sessions.close({ id: await idOf('dup-1') });
    expect((await pool('100.66.0.5')).status).toBe('in_use');
    await callerFor(admin).sessions.close({ id: await idOf('dup-2') });
    expect((await pool('100.66.0.5')).status).toBe('available');
  });

  it('refuses a closed session, a missing one and one out of scope, writing nothing', async () => {
    const user = uid('done');
    await writer.write(nas, record(AcctStatus.Start, 'done-1', user, { framedIp: '100.66.0.7' }));
    await writer.write(
      nas,
      record(AcctStatus.Stop, 'done-1', user, { framedIp: '100.66.0.7', sessionTime: 60, terminateCause: 'User-Request' }),
    );
    const id = await idOf('done-1');
    const audits = async () =>
      (await db().execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'session.close'`))[0].n;
    const before = await audits();
    const err = await callerFor(admin)
      .sessions.close({ id })
      .catch((e: TRPCError) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('CONFLICT');
    expect((err as TRPCError).message).toMatch(new RegExp(`session #${id} of ${user} is already closed`));
    expect((await callerFor(admin).sessions.get({ id })).terminateCause).toBe('User-Request');
    expect(await code(callerFor(admin).sessions.close({ id: 9_007_199_254_740_000 }))).toBe('NOT_FOUND');
    const foreign = await open(otherNas.ipAddress);
    const foreignOpen = await openCount(otherNas.ipAddress);
    expect(await code(callerFor(reseller).sessions.close({ id: foreign }))).toBe('NOT_FOUND');
    expect(await openCount(otherNas.ipAddress)).toBe(foreignOpen);
    expect(await audits()).toBe(before);
  });

  it('adds no index on a column interim updates change, so they stay HOT updates', async () => {
    // What an Interim-Update rewrites (radius-service/accounting-writer.ts, upsertInterims); framedipaddress it
    // keeps as it was. An index naming any of these, even in a partial index's predicate, makes each non-HOT.
    const rows = await db().execute<{ def: string }>(
      sql`select pg_get_indexdef(indexrelid) as def from pg_index where indrelid = 'radacct'::regclass`,
    );
    expect(rows.map((r) => r.def).join('\n')).toContain('radacct_open_start_idx');
    for (const { def } of rows) expect(def).not.toMatch(/acctupdatetime|acctinterval|acctsessiontime|acctinputoctets|acctoutputoctets/);
  });
});
