import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db, sqlClient } from '@/server/db/client';
import { makeNas, makeUser } from '@/test/fixtures';
import { claimNextImport, queuePoolImport } from './pool-import-queue';
import { applyPoolImport, expandPools } from './import-pools';

/**
 * The write half of a pool import under failure and contention, against the real database: a failure in the
 * middle of the transaction, two imports of one NAS at once, two workers claiming at once.
 */
let nasId: number;
const pools = (list: [string, string][]) => expandPools(list.map(([name, ranges]) => ({ name, ranges })));

async function assignments() {
  const rows = await db().execute<{ ip: string; pool: string; status: string }>(
    sql`select host(ip_address) as ip, pool_name as pool, status from ip_pool_assignments where nas_id = ${nasId} order by ip_address`,
  );
  return rows.map((r) => `${r.pool} ${r.ip} ${r.status}`);
}

beforeAll(async () => {
  nasId = (await makeNas(await makeUser({ role: 'admin' }))).id;
});
afterEach(async () => {
  await db().execute(sql`drop trigger if exists test_break on ip_pool_assignments`);
  await db().execute(sql`drop trigger if exists test_slow on ip_pool_assignments`);
});

describe('an import whose database write breaks half-way', () => {
  it('leaves the previous data exactly as it was', async () => {
    await applyPoolImport(nasId, pools([['old', '10.5.0.1-10.5.0.6']]), [
      { id: '*1', name: 'a', address: '10.5.0.2', service: null, sessionId: null },
    ]);
    const before = await assignments();
    expect(before).toHaveLength(6);
    // The upsert of the new pools succeeds; the delete of the addresses that left fails: the transaction's middle.
    await db().execute(
      sql.raw(`
      create or replace function test_break() returns trigger language plpgsql as $$ begin raise exception 'disk full (test)'; end $$;
      create trigger test_break before delete on ip_pool_assignments for each statement execute function test_break();`),
    );
    await expect(applyPoolImport(nasId, pools([['new', '10.5.0.4-10.5.0.9']]), [])).rejects.toThrow();
    expect(await assignments()).toEqual(before);
  });
});

describe('two imports of one NAS at once', () => {
  it('serialize: both complete and the result is exactly one of the two router views', async () => {
    await applyPoolImport(nasId, pools([['p', '10.6.0.1-10.6.0.8']]), []);
    // A pause after each write statement widens the window in which two unserialized imports would each hold
    // rows the other must delete next (a deadlock, or a mix of both views).
    await db().execute(
      sql.raw(`
      create or replace function test_slow() returns trigger language plpgsql as $$ begin perform pg_sleep(0.4); return null; end $$;
      create trigger test_slow after insert or update on ip_pool_assignments for each statement execute function test_slow();`),
    );
    const a = pools([['a', '10.6.0.1-10.6.0.4']]);
    const b = pools([['b', '10.6.0.5-10.6.0.8']]);
    const results = await Promise.allSettled([applyPoolImport(nasId, a, []), applyPoolImport(nasId, b, [])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const after = await assignments();
    const onlyA = ['a 10.6.0.1 available', 'a 10.6.0.2 available', 'a 10.6.0.3 available', 'a 10.6.0.4 available'];
    const onlyB = ['b 10.6.0.5 available', 'b 10.6.0.6 available', 'b 10.6.0.7 available', 'b 10.6.0.8 available'];
    expect([onlyA, onlyB]).toContainEqual(after);
  });
});

describe('two workers claiming imports at once', () => {
  it('each take a different import; none is taken twice', async () => {
    const admin = await makeUser({ role: 'admin' });
    const ids = [(await makeNas(admin)).id, (await makeNas(admin)).id];
    await db().execute(sql`delete from nas_pool_imports`);
    for (const id of ids) await queuePoolImport(db(), id, 'sync');
    const claims = await Promise.all([claimNextImport(), claimNextImport(), claimNextImport()]);
    const taken = claims.filter((c) => c !== null).map((c) => c!.nasId);
    expect(taken.sort()).toEqual([...ids].sort());
    expect(claims.filter((c) => c === null)).toHaveLength(1);
  });

  it('never wait for each other: a claim skips an import another worker is taking', async () => {
    const admin = await makeUser({ role: 'admin' });
    const ids = [(await makeNas(admin)).id, (await makeNas(admin)).id];
    await db().execute(sql`delete from nas_pool_imports`);
    for (const id of ids) await queuePoolImport(db(), id, 'sync');
    const holder = await sqlClient().reserve();
    try {
      // Another worker, mid-claim, holds the oldest queued row.
      await holder`begin`;
      await holder`select 1 from nas_pool_imports where nas_id = ${ids[0]} for update`;
      const claim = await Promise.race([claimNextImport(), new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 2000))]);
      expect(claim).not.toBe('blocked');
      expect((claim as { nasId: number }).nasId).toBe(ids[1]);
    } finally {
      await holder`rollback`;
      holder.release();
    }
  });
});
