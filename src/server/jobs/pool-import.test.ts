import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { queuePoolImport } from '@/server/services/pools/pool-import-queue';
import { makeNas, makeUser } from '@/test/fixtures';
import { drainPoolImports, poolImportJob } from './pool-import';

const states = async () =>
  (await db().execute<{ state: string }>(sql`select state from nas_pool_imports order by nas_id`)).map((r) => r.state);

it('runs at most `max` imports per tick however many workers claim at once; the rest wait for the next tick', async () => {
  const admin = await makeUser({ role: 'admin' });
  // No API credentials: each import is claimed, run and recorded as refused at once, without a router.
  for (let i = 0; i < 5; i++) await queuePoolImport(db(), (await makeNas(admin)).id, 'sync');
  expect(await drainPoolImports({ max: 2, concurrency: 4, log: () => {} })).toBe(2);
  expect((await states()).sort()).toEqual(['failed', 'failed', 'queued', 'queued', 'queued']);
  // The job's own handler drains what is left.
  await poolImportJob(() => {}).run({ instance: 'test' });
  expect(await states()).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
});
