import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { makeNas, makeUser, nextIp } from '@/test/fixtures';
import { heartbeatSweep } from './heartbeat';

let admin: Actor;
const routers: SimRouter[] = [];

async function nasState(id: number) {
  const [r] = await db().execute<{ is_online: boolean; version: string; last_seen: Date | null }>(
    sql`select is_online, version, last_seen from nas_devices where id = ${id}`,
  );
  return r;
}

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
});

afterAll(async () => {
  await Promise.all(routers.map((r) => r.stop()));
});

describe('heartbeatSweep', () => {
  it('marks answering routers online with their version, black holes offline, without one delaying the rest', async () => {
    const up = await startRouter({ host: '127.0.72.1', apiPort: 0, username: 'panel', password: 'p', version: '7.16 (stable)' });
    const holes = await Promise.all(
      [2, 3, 4].map((i) => startRouter({ host: `127.0.72.${i}`, apiPort: 0, username: 'panel', password: 'p', fault: 'silent' })),
    );
    routers.push(up, ...holes);
    const upNas = await makeNas(admin, { ipAddress: up.host, apiUsername: 'panel', apiPassword: 'p', apiPort: up.apiPort });
    const holeNas = await Promise.all(
      holes.map((h) => makeNas(admin, { ipAddress: h.host, apiUsername: 'panel', apiPassword: 'p', apiPort: h.apiPort })),
    );
    await db().execute(sql`update nas_devices set is_online = true, last_seen = now() - interval '10 minutes' where id = ${holeNas[0].id}`);

    const t = Date.now();
    const r = await heartbeatSweep({ concurrency: 8, timeoutMs: 1000 });
    // Three black holes polled in parallel cost one deadline, not three.
    expect(Date.now() - t).toBeLessThan(2500);
    expect(r).toMatchObject({ ran: true, answered: 1 });
    expect(await nasState(upNas.id)).toMatchObject({ is_online: true, version: '7.16 (stable)' });
    expect((await nasState(holeNas[0].id)).is_online).toBe(false);
  });

  it('follows accounting for NAS rows without API credentials', async () => {
    const quiet = await makeNas(admin, { type: 'generic' });
    const busy = await makeNas(admin, { type: 'generic' });
    await db().execute(sql`insert into radacct (acctsessionid, acctuniqueid, nasipaddress, acctstarttime, acctupdatetime) values
      ('a', ${'hb-' + nextIp()}, ${busy.ipAddress}::inet, now() - interval '1 hour', now() - interval '1 minute'),
      ('b', ${'hb-' + nextIp()}, ${quiet.ipAddress}::inet, now() - interval '2 hours', now() - interval '30 minutes')`);
    await heartbeatSweep({ timeoutMs: 500 });
    expect((await nasState(busy.id)).is_online).toBe(true);
    const q = await nasState(quiet.id);
    expect(q.is_online).toBe(false);
    expect(q.last_seen).not.toBeNull();
  });

  it('counts a session start without any update as a sign of life, found through the open-session index', async () => {
    const started = await makeNas(admin, { type: 'generic' });
    await db().execute(sql`insert into radacct (acctsessionid, acctuniqueid, nasipaddress, acctstarttime) values
      ('s', ${'hb-start-' + nextIp()}, ${started.ipAddress}::inet, now() - interval '20 seconds')`);
    await heartbeatSweep({ timeoutMs: 500 });
    expect((await nasState(started.id)).is_online).toBe(true);
    // A small table may be scanned whole; forbid that (in one transaction, so on one connection) to see the index is usable.
    const plan = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute<{ 'QUERY PLAN': string }>(
        sql`explain select max(greatest(r.acctstarttime, r.acctupdatetime)) from radacct r where r.nasipaddress = ${started.ipAddress}::inet and r.acctstoptime is null`,
      );
    });
    // Either partial index over open sessions serves it on a table this small; the point is that no scan
    // of closed sessions (the millions) is needed.
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using radacct_open_\w+_idx/);
  });

  it('runs one sweep at a time across instances', async () => {
    const results = await Promise.all([heartbeatSweep({ timeoutMs: 500 }), heartbeatSweep({ timeoutMs: 500 })]);
    expect(results.filter((r) => r.ran)).toHaveLength(1);
  });
});
