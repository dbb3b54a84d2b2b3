import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeNas, makeUser, uid } from '@/test/fixtures';
import { acctUniqueId, AcctStatus, type AccountingRecord } from './accounting-record';
import { db, sqlClient } from '@/server/db/client';
import { AccountingWriter, inTransaction } from './accounting-writer';
import type { NasClient } from './nas-clients';

/** FreeRADIUS's accounting semantics against the real radacct (and the counters its trigger keeps). */
let nas: NasClient;
const writer = new AccountingWriter({ batchMs: 2, batchMax: 100, log: () => {} });

beforeAll(async () => {
  const row = await makeNas(await makeUser({ role: 'admin' }), { ipAddress: '192.0.2.44' });
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
});

const T0 = new Date('2026-12-01T10:00:00Z');
function record(statusType: number, sessionId: string, over: Partial<AccountingRecord> = {}): AccountingRecord {
  const userName = over.userName ?? 'alice';
  return {
    statusType,
    userName,
    sessionId,
    uniqueId: acctUniqueId({ userName, sessionId, nasIpAddress: nas.ip }),
    realm: null,
    nasPortId: 'ether1',
    nasPortType: 'Ethernet',
    eventTime: T0,
    sessionTime: null,
    inputOctets: null,
    outputOctets: null,
    terminateCause: null,
    framedIp: null,
    framedIpv6Address: null,
    framedIpv6Prefix: null,
    delegatedIpv6Prefix: null,
    framedInterfaceId: null,
    callingStationId: 'AA:BB:CC:00:00:01',
    calledStationId: 'pppoe',
    serviceType: 'Framed-User',
    framedProtocol: 'PPP',
    acctAuthentic: 'RADIUS',
    connectInfo: null,
    class: null,
    ...over,
  };
}
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const row = async (sessionId: string) =>
  (
    await db().execute<{ start: string; stop: string | null; st: number | null; inp: number | null; cause: string | null }>(sql`
    select acctstarttime as start, acctstoptime as stop, acctsessiontime::float8 as st, acctinputoctets::float8 as inp, acctterminatecause as cause
    from radacct where acctsessionid = ${sessionId} and nasipaddress = ${nas.ip}::inet`)
  )[0];
const openCount = async () =>
  (await db().execute<{ open: number }>(sql`select open from nas_session_counts where nasipaddress = ${nas.ip}::inet`))[0]?.open ?? 0;

describe('accounting', () => {
  it('opens on Start, updates on Interim, closes on Stop; a retransmitted Start changes nothing', async () => {
    const id = uid('s');
    await writer.write(nas, record(AcctStatus.Start, id));
    await writer.write(nas, record(AcctStatus.Start, id));
    expect(await openCount()).toBe(1);
    await writer.write(nas, record(AcctStatus.InterimUpdate, id, { eventTime: at(300), sessionTime: 300, inputOctets: 5 * 2 ** 32 + 7 }));
    expect(await row(id)).toMatchObject({ stop: null, st: 300, inp: 5 * 2 ** 32 + 7 });
    await writer.write(nas, record(AcctStatus.Stop, id, { eventTime: at(400), sessionTime: 400, terminateCause: 'User-Request' }));
    const closed = await row(id);
    expect(new Date(closed.stop!).toISOString()).toBe(at(400).toISOString());
    expect(closed).toMatchObject({ st: 400, cause: 'User-Request' });
    expect(await openCount()).toBe(0);
    expect((await db().execute(sql`select 1 from radacct where acctsessionid = ${id}`)).length).toBe(1);

    // A late Interim or a retransmitted Stop after the session closed leaves the closed row as the Stop wrote it.
    await writer.write(nas, record(AcctStatus.InterimUpdate, id, { eventTime: at(350), sessionTime: 350, inputOctets: 9 }));
    await writer.write(nas, record(AcctStatus.Stop, id, { eventTime: at(500), sessionTime: 500, terminateCause: 'Lost-Carrier' }));
    expect(await row(id)).toMatchObject({ stop: closed.stop, st: 400, cause: 'User-Request' });
    expect((await db().execute(sql`select 1 from radacct where acctsessionid = ${id}`)).length).toBe(1);
  });

  it('opens a new session whose ids a rebooted router reused, keeping the closed one; a late Start changes nothing', async () => {
    const id = uid('s');
    await writer.write(nas, record(AcctStatus.Start, id));
    await writer.write(nas, record(AcctStatus.Stop, id, { eventTime: at(100), sessionTime: 100, terminateCause: 'NAS-Reboot' }));
    await writer.write(nas, record(AcctStatus.Start, id)); // the first Start again, late: nothing to open
    expect(await openCount()).toBe(0);
    await writer.write(nas, record(AcctStatus.Start, id, { eventTime: at(200) })); // after the reboot, the same numbers
    const rows = await db().execute<{ uid: string; open: boolean }>(
      sql`select acctuniqueid as uid, acctstoptime is null as open from radacct where acctsessionid = ${id} order by radacctid`,
    );
    const key = acctUniqueId({ userName: 'alice', sessionId: id, nasIpAddress: nas.ip });
    expect(rows).toEqual([
      { uid: expect.stringMatching(new RegExp(`^${key}\\.\\d+$`)), open: false },
      { uid: key, open: true },
    ]);
    expect(await openCount()).toBe(1);
    await writer.write(nas, record(AcctStatus.Stop, id, { eventTime: at(300), sessionTime: 100 }));
  });

  it('creates the row from an Interim whose Start was lost, and a closed row from a Stop without one', async () => {
    const lostStart = uid('s');
    await writer.write(nas, record(AcctStatus.InterimUpdate, lostStart, { eventTime: at(600), sessionTime: 600 }));
    expect(new Date((await row(lostStart)).start).toISOString()).toBe(T0.toISOString());
    const onlyStop = uid('s');
    await writer.write(nas, record(AcctStatus.Stop, onlyStop, { eventTime: at(120), sessionTime: 120, terminateCause: 'Lost-Carrier' }));
    expect(await row(onlyStop)).toMatchObject({ st: 120, cause: 'Lost-Carrier' });
    expect(new Date((await row(onlyStop)).start).toISOString()).toBe(T0.toISOString());
    await writer.write(nas, record(AcctStatus.Stop, lostStart, { eventTime: at(700), sessionTime: 700 }));
  });

  it('closes a session whose Stop was lost when the same device starts the next one', async () => {
    const first = uid('s');
    const second = uid('s');
    await writer.write(nas, record(AcctStatus.Start, first, { userName: 'bob' }));
    await writer.write(nas, record(AcctStatus.Start, second, { userName: 'bob', eventTime: at(50) }));
    expect(await row(first)).toMatchObject({ cause: 'Lost-Carrier', st: 50 });
    expect((await row(second)).stop).toBeNull();
    await writer.write(nas, record(AcctStatus.Stop, second, { userName: 'bob', eventTime: at(60), sessionTime: 10 }));
  });

  it('closes every open session of the NAS on Accounting-On, with NAS-Reboot', async () => {
    const ids = [uid('s'), uid('s'), uid('s')];
    for (const [i, id] of ids.entries())
      await writer.write(nas, record(AcctStatus.Start, id, { userName: `u${i}`, callingStationId: `AA:00:00:00:00:0${i}` }));
    expect(await openCount()).toBe(3);
    await writer.write(nas, record(AcctStatus.AccountingOn, '', { userName: '', eventTime: at(30) }));
    for (const id of ids) expect(await row(id)).toMatchObject({ cause: 'NAS-Reboot', st: 30 });
    expect(await openCount()).toBe(0);
  });

  it("marks a session's address in use from its Start and free at its Stop (pool usage between Syncs)", async () => {
    await db().execute(sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address) values (${nas.id}, 'p', '100.64.9.9')`);
    const id = uid('s');
    const status = async () =>
      (
        await db().execute<{ status: string; username: string | null }>(
          sql`select status, username from ip_pool_assignments where nas_id = ${nas.id} and ip_address = '100.64.9.9'`,
        )
      )[0];
    await writer.write(nas, record(AcctStatus.Start, id, { userName: 'carol', framedIp: '100.64.9.9' }));
    expect(await status()).toEqual({ status: 'in_use', username: 'carol' });
    await writer.write(nas, record(AcctStatus.Stop, id, { userName: 'carol', framedIp: '100.64.9.9', eventTime: at(9), sessionTime: 9 }));
    expect(await status()).toEqual({ status: 'available', username: null });
  });

  it('commits packets that arrive together in one group, and a bad one costs only its own reply', async () => {
    const ids = Array.from({ length: 50 }, () => uid('g'));
    const bad = record(AcctStatus.Start, uid('bad'), { userName: 'bad', framedIp: 'not-an-address' });
    const results = await Promise.allSettled([
      ...ids.map((id, i) =>
        writer.write(
          nas,
          record(AcctStatus.Start, id, { userName: `g${i}`, callingStationId: `BB:00:00:00:00:${String(i).padStart(2, '0')}` }),
        ),
      ),
      writer.write(nas, bad),
    ]);
    expect(results.slice(0, 50).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[50].status).toBe('rejected');
    expect(await openCount()).toBe(50);
  });

  it('keeps arrival order inside one group: a session seen twice, and an Accounting-On between Starts', async () => {
    const grouped = new AccountingWriter({ batchMs: 50, batchMax: 1000, log: () => {} });
    const [a, b, c] = [uid('o'), uid('o'), uid('o')];
    const device = (i: number) => ({ userName: `order${i}`, callingStationId: `CC:00:00:00:00:0${i}` });
    await Promise.all([
      grouped.write(nas, record(AcctStatus.Start, a, device(1))),
      grouped.write(nas, record(AcctStatus.InterimUpdate, a, { ...device(1), eventTime: at(60), sessionTime: 60, inputOctets: 600 })),
      grouped.write(nas, record(AcctStatus.Start, b, device(2))),
      grouped.write(nas, record(AcctStatus.AccountingOn, '', { userName: '', eventTime: at(90) })),
      grouped.write(nas, record(AcctStatus.Start, c, { ...device(3), eventTime: at(100) })),
      grouped.write(nas, record(AcctStatus.InterimUpdate, c, { ...device(3), eventTime: at(160), sessionTime: 60, inputOctets: 7 })),
      grouped.write(
        nas,
        record(AcctStatus.Stop, c, { ...device(3), eventTime: at(200), sessionTime: 100, inputOctets: 9, terminateCause: 'User-Request' }),
      ),
      grouped.write(nas, record(AcctStatus.Start, c, { ...device(3), eventTime: at(300) })), // the same ids again, after a reboot
    ]);
    await grouped.close();
    // a: its Interim after its Start (60 s, 600 octets), then closed by the On; b: closed by the On.
    expect(await row(a)).toMatchObject({ st: 90, inp: 600, cause: 'NAS-Reboot' });
    expect(await row(b)).toMatchObject({ st: 90, cause: 'NAS-Reboot' });
    // c: started after the On, updated, stopped, and then opened again under the same ids.
    const rows = await db().execute<{ open: boolean; inp: number | null; cause: string | null }>(
      sql`select acctstoptime is null as open, acctinputoctets::float8 as inp, acctterminatecause as cause from radacct
        where acctsessionid = ${c} order by radacctid`,
    );
    expect(rows).toEqual([
      { open: false, inp: 9, cause: 'User-Request' },
      { open: true, inp: null, cause: null },
    ]);
  });
});

describe('a group commit', () => {
  it('starts at most every spacingMs, so a trickle of packets is committed in a few groups, not one each', async () => {
    const trickle = async (spacingMs: number) => {
      const w = new AccountingWriter({ batchMs: 1, batchMax: 1000, spacingMs, log: () => {} });
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 10; i++) {
        writes.push(
          w.write(nas, record(AcctStatus.Start, uid('trickle'), { userName: `trickle${i}`, callingStationId: `DD:00:00:00:00:0${i}` })),
        );
        await new Promise((r) => setTimeout(r, 10));
      }
      await Promise.all(writes);
      await w.close();
      return w.groups;
    };
    // 10 packets 10 ms apart: the first alone, the other nine once 150 ms have passed since it started.
    expect(await trickle(150)).toBeLessThanOrEqual(3);
    expect(await trickle(0)).toBeGreaterThanOrEqual(8);
  });

  const probe = (id: string) =>
    sqlClient()`select count(*)::int as n from radacct where acctuniqueid = ${id}`.then((r) => r[0].n as number);
  const insert = (tx: postgres.Sql, id: string) =>
    tx`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime) values (${id}, ${id}, 'tx', '192.0.2.45', now())`;

  it('is one transaction although BEGIN is not a round trip of its own: a failure undoes what ran before it', async () => {
    const [kept, undone] = [uid('tx'), uid('tx')];
    await inTransaction(sqlClient(), async (tx) => {
      await insert(tx, kept);
    });
    await expect(
      inTransaction(sqlClient(), async (tx) => {
        await insert(tx, undone);
        await tx`select 1 / 0`;
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await probe(kept)).toBe(1);
    // Had BEGIN gone out after the statements (a postgres.js query is sent when awaited), the insert would have
    // committed on its own.
    expect(await probe(undone)).toBe(0);
  });

  it('leaves its connection usable after a failure (rolled back, not stuck in an aborted transaction)', async () => {
    const sql = sqlClient();
    for (let i = 0; i < 12; i++) {
      await expect(inTransaction(sql, async (tx) => void (await tx`select 1 / 0`))).rejects.toThrow();
    }
    const id = uid('tx');
    await inTransaction(sql, async (tx) => void (await insert(tx, id)));
    expect(await probe(id)).toBe(1);
  });
});

it('radacct leaves room on its pages, so Interim-Updates can stay HOT (no new entry in every index)', async () => {
  const [{ options }] = await db().execute<{ options: string[] | null }>(
    sql`select reloptions as options from pg_class where oid = 'radacct'::regclass`,
  );
  expect(options).toContain('fillfactor=80');
});
