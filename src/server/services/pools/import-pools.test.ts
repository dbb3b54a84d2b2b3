import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { makeNas, makeUser } from '@/test/fixtures';
import { claimNextImport } from './pool-import-queue';
import { drainPoolImports } from '@/server/jobs/pool-import';
import { getPoolStatus, requestPoolImport } from './pool-status';
import { importPools } from './import-pools';

let admin: Actor;
let router: SimRouter;
let nasId: number;
const NAS_IP = '127.0.70.1';

async function assignments() {
  const rows = await db().execute<{ ip: string; pool: string; status: string }>(
    sql`select host(ip_address) as ip, pool_name as pool, status from ip_pool_assignments where nas_id = ${nasId} order by ip_address`,
  );
  return rows.map((r) => `${r.pool} ${r.ip} ${r.status}`);
}

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  router = await startRouter({
    host: NAS_IP,
    apiPort: 0,
    username: 'panel',
    password: 'api-pass',
    version: '7.18.2 (stable)',
    emptyReplies: true,
    pools: [
      { name: 'ppp-a', ranges: '10.1.0.1-10.1.0.4' },
      { name: 'ppp-b', ranges: '10.2.0.0/30,10.2.0.9' },
    ],
    pppActive: [{ name: 'alice', address: '10.1.0.2' }],
  });
  // Creating the NAS with API credentials queues the first import.
  nasId = (await makeNas(admin, { ipAddress: NAS_IP, apiUsername: 'panel', apiPassword: 'api-pass', apiPort: router.apiPort })).id;
});

afterAll(async () => {
  await router.stop();
});

describe('pool import', () => {
  it('is queued by the create and imported by the worker, with in-use addresses marked', async () => {
    expect((await getPoolStatus(admin, nasId)).import.state).toBe('queued');
    const lines: string[] = [];
    expect(await drainPoolImports({ log: (l) => lines.push(l) })).toBe(1);
    const status = await getPoolStatus(admin, nasId);
    expect(status.import).toMatchObject({ state: 'done', error: '', reason: 'create' });
    expect(status.import.lastResult).toMatchObject({ addresses: 9, added: 9, removed: 0, inUse: 1, pppActive: 1 });
    expect(status.pools).toEqual([
      { name: 'ppp-a', total: 4, inUse: 1, available: 3 },
      { name: 'ppp-b', total: 5, inUse: 0, available: 5 },
    ]);
    expect(lines).toEqual([
      expect.stringMatching(/^NAS Create: Auto-importing IP pools from NAS .* \(127\.0\.70\.1\)$/),
      expect.stringMatching(/^NAS Create: Auto-imported 9 IPs from /),
      expect.stringMatching(/^NAS Create: Synced 1 active sessions from /),
    ]);
  });

  it('re-imports changes: new addresses, freed and newly used ones, dropped ranges; open radacct sessions count as in use', async () => {
    router.setPools([
      { name: 'ppp-a', ranges: '10.1.0.1-10.1.0.3' },
      { name: 'ppp-c', ranges: '10.3.0.1' },
    ]);
    router.setPppActive([{ name: 'bob', address: '10.1.0.3' }]);
    // 10.2.0.9 leaves the router's pools, but a RADIUS session still holds it: kept, in use.
    await db().execute(sql`insert into radacct (acctsessionid, acctuniqueid, nasipaddress, framedipaddress, acctstarttime)
      values ('x1', 'sync-test-1', ${NAS_IP}::inet, '10.2.0.9', now())`);
    const r = await importPools(nasId);
    expect(r).toMatchObject({ addresses: 4, added: 1, removed: 5 });
    expect(await assignments()).toEqual([
      'ppp-a 10.1.0.1 available',
      'ppp-a 10.1.0.2 available',
      'ppp-a 10.1.0.3 in_use',
      'ppp-b 10.2.0.9 in_use',
      'ppp-c 10.3.0.1 available',
    ]);
  });

  it('changes nothing the second time, also when two run at once', async () => {
    const before = await assignments();
    const [a, b] = await Promise.all([importPools(nasId), importPools(nasId)]);
    for (const r of [a, b]) expect(r).toMatchObject({ added: 0, updated: 0, removed: 0 });
    expect(await assignments()).toEqual(before);
  });

  it('leaves the data intact when the router fails mid-way, and records why', async () => {
    const before = await assignments();
    // A router that does not answer is tried again later; one that answers garbage is not.
    const expected = { reset: 'retrying', garbage: 'failed', silent: 'retrying', refuse: 'retrying' } as const;
    for (const fault of ['reset', 'garbage', 'silent', 'refuse'] as const) {
      await router.setFault(fault);
      await requestPoolImport(admin, nasId);
      const t = Date.now();
      await drainPoolImports({ log: () => {} });
      expect(Date.now() - t).toBeLessThan(15_000);
      const status = await getPoolStatus(admin, nasId);
      expect(status.import.state, fault).toBe(expected[fault]);
      expect(status.import.error.length, fault).toBeGreaterThan(5);
      expect(await assignments()).toEqual(before);
    }
    await router.setFault('none');
  });

  it('refuses a pool over the cap with a clear message and keeps the old data', async () => {
    const before = await assignments();
    router.setPools([{ name: 'huge', ranges: '10.0.0.0/15' }]);
    await expect(importPools(nasId)).rejects.toThrow(/pool "huge" has 131072 addresses, more than the 65536 allowed/);
    expect(await assignments()).toEqual(before);
  });

  it('imports a /16 in one statement and keeps a re-request made during an import queued', async () => {
    router.setPools([{ name: 'big', ranges: '10.64.0.0/16' }]);
    router.setPppActive([]);
    await requestPoolImport(admin, nasId);
    const job = (await claimNextImport())!;
    await requestPoolImport(admin, nasId); // arrives while "importing"
    const { runPoolImport } = await import('./run-pool-import');
    await runPoolImport(job, () => {});
    expect((await getPoolStatus(admin, nasId)).import.state).toBe('queued');
    await drainPoolImports({ log: () => {} });
    const status = await getPoolStatus(admin, nasId);
    expect(status.import.state).toBe('done');
    expect(status.pools.find((p) => p.name === 'big')?.total).toBe(65536);
  });
});
