import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import { resetEnvCache } from '@/env';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { heartbeatSweep } from '@/server/services/nas/heartbeat';
import { makeNas, makeUser } from '@/test/fixtures';
import { claimNextImport } from './pool-import-queue';
import { getPoolStatus, requestPoolImport } from './pool-status';
import { drainPoolImports } from '@/server/jobs/pool-import';
import { importPools } from './import-pools';

let admin: Actor;
let router: SimRouter;
let nasId: number;
const NAS_IP = '127.0.72.1';

beforeAll(async () => {
  process.env.POOL_IMPORT_MAX_ATTEMPTS = '3';
  // A small total keeps the "just under the cap" import quick; the rule is the same at 524,288.
  process.env.POOL_IMPORT_MAX_TOTAL = '4096';
  resetEnvCache();
  admin = await makeUser({ role: 'admin' });
  router = await startRouter({
    host: NAS_IP,
    apiPort: 0,
    username: 'panel',
    password: 'api-pass',
    pools: [{ name: 'ppp', ranges: '10.9.0.1-10.9.0.8' }],
  });
  await router.setFault('refuse');
  nasId = (await makeNas(admin, { ipAddress: NAS_IP, apiUsername: 'panel', apiPassword: 'api-pass', apiPort: router.apiPort })).id;
});
afterAll(async () => {
  delete process.env.POOL_IMPORT_MAX_ATTEMPTS;
  delete process.env.POOL_IMPORT_MAX_TOTAL;
  resetEnvCache();
  await router.stop();
});

/** Time passes: the queued retry is due now. */
const due = () =>
  db().execute(sql`update nas_pool_imports set next_attempt_at = now() where nas_id = ${nasId} and next_attempt_at is not null`);
const row = async () =>
  (
    await db().execute<{ state: string; attempts: number; failure_kind: string; wait_s: number | null }>(sql`
    select state, attempts, failure_kind, extract(epoch from next_attempt_at - now())::int as wait_s from nas_pool_imports where nas_id = ${nasId}`)
  )[0];

describe('an import whose router does not answer', () => {
  it('is retried with growing delays a bounded number of times, then fails', async () => {
    await drainPoolImports({ log: () => {} });
    expect(await row()).toMatchObject({ state: 'queued', attempts: 1, failure_kind: 'unreachable' });
    expect((await row()).wait_s).toBeGreaterThan(25); // ~30 s
    expect((await getPoolStatus(admin, nasId)).import).toMatchObject({ state: 'retrying', attempts: 1 });
    // Not due yet: nothing to claim.
    expect(await claimNextImport()).toBeNull();
    await due();
    await drainPoolImports({ log: () => {} });
    expect(await row()).toMatchObject({ state: 'queued', attempts: 2 });
    expect((await row()).wait_s).toBeGreaterThan(55); // ~60 s
    await due();
    await drainPoolImports({ log: () => {} });
    // Three attempts allowed: the third failure is final.
    expect(await row()).toMatchObject({ state: 'failed', attempts: 3, failure_kind: 'unreachable' });
    await due();
    expect(await drainPoolImports({ log: () => {} })).toBe(0);
  });

  it('is queued again when the heartbeat hears the router, and then imports', async () => {
    await router.setFault('none');
    const r = await heartbeatSweep();
    expect(r.importsRetried).toBe(1);
    expect(await row()).toMatchObject({ state: 'queued', attempts: 0 });
    await drainPoolImports({ log: () => {} });
    expect((await getPoolStatus(admin, nasId)).import.state).toBe('done');
    // Nothing left to retry: a second sweep queues nothing.
    expect((await heartbeatSweep()).importsRetried).toBe(0);
  });
});

describe('an import the router answered with something we will not take', () => {
  it('fails at once, is not retried, and the heartbeat leaves it alone; the old data stays', async () => {
    const before = (await getPoolStatus(admin, nasId)).pools;
    // A thousand /16s: 65 million addresses, refused from the counts before anything is expanded.
    router.setPools(
      Array.from({ length: 1000 }, (_, i) => ({ name: `cgnat-${i}`, ranges: `${10 + Math.floor(i / 256)}.${i % 256}.0.0/16` })),
    );
    await requestPoolImport(admin, nasId);
    await drainPoolImports({ log: () => {} });
    const status = await getPoolStatus(admin, nasId);
    expect(status.import.state).toBe('failed');
    expect(status.import.error).toBe(
      "pool import refused: the router's 1000 pools hold 65,536,000 addresses, more than the 4,096 one import may take (POOL_IMPORT_MAX_TOTAL)",
    );
    expect(await row()).toMatchObject({ failure_kind: 'refused', attempts: 1 });
    expect((await heartbeatSweep()).importsRetried).toBe(0);
    expect(status.pools).toEqual(before);
  });

  it('counts every pool against the total, not only each pool against its own cap', async () => {
    // Nine /23s, each well under the per-pool cap (65,536), together over the total.
    router.setPools(Array.from({ length: 9 }, (_, i) => ({ name: `p${i}`, ranges: `100.64.${2 * i}.0/23` })));
    await expect(importPools(nasId)).rejects.toThrow(/9 pools hold 4,608 addresses, more than the 4,096/);
    router.setPools(Array.from({ length: 8 }, (_, i) => ({ name: `p${i}`, ranges: `100.64.${2 * i}.0/23` })));
    await expect(importPools(nasId)).resolves.toMatchObject({ addresses: 4096 });
  });
});

describe('an import interrupted again and again (its worker died each time)', () => {
  it('is given up after the allowed attempts instead of being taken forever', async () => {
    await db().execute(
      sql`update nas_pool_imports set state = 'importing', attempts = 3, started_at = now() - interval '10 minutes' where nas_id = ${nasId}`,
    );
    expect(await claimNextImport()).toBeNull();
    const status = await getPoolStatus(admin, nasId);
    expect(status.import.state).toBe('failed');
    expect(status.import.error).toBe(
      'the import was interrupted 3 times (the panel stopped while importing): press Sync pools to try again',
    );
    // An interrupted import with attempts left is taken again.
    await db().execute(
      sql`update nas_pool_imports set state = 'importing', attempts = 1, started_at = now() - interval '10 minutes' where nas_id = ${nasId}`,
    );
    expect((await claimNextImport())?.nasId).toBe(nasId);
  });
});
