import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { db } from './client';

/** nas_session_counts follows radacct exactly, whatever writes it (migration 0012's trigger). */
const count = async (ip: string) =>
  (await db().execute<{ open: number }>(sql`select open from nas_session_counts where nasipaddress = ${ip}::inet`))[0]?.open ?? 0;
const exact = async (ip: string) =>
  (
    await db().execute<{ n: number }>(sql`select count(*)::int as n from radacct where nasipaddress = ${ip}::inet and acctstoptime is null`)
  )[0].n;

it('counts sessions as they open, close, move, reopen and disappear', async () => {
  const [a, b] = ['192.0.2.10', '192.0.2.11'];
  await db().execute(sql`insert into radacct (acctsessionid, acctuniqueid, nasipaddress, acctstarttime)
    select 's' || g, 'count-' || g, ${a}::inet, now() from generate_series(1, 5) g`);
  await db().execute(sql`insert into radacct (acctsessionid, acctuniqueid, nasipaddress, acctstarttime, acctstoptime)
    values ('closed', 'count-closed', ${a}::inet, now(), now())`);
  expect(await count(a)).toBe(5);
  // An interim update names no acctstoptime: nothing changes.
  await db().execute(sql`update radacct set acctupdatetime = now(), acctinputoctets = 10 where nasipaddress = ${a}::inet`);
  expect(await count(a)).toBe(5);
  await db().execute(sql`update radacct set acctstoptime = now() where acctuniqueid in ('count-1', 'count-2')`);
  expect(await count(a)).toBe(3);
  // Closing an already closed row again changes nothing; reopening one counts it again.
  await db().execute(sql`update radacct set acctstoptime = now() where acctuniqueid = 'count-1'`);
  await db().execute(sql`update radacct set acctstoptime = null where acctuniqueid = 'count-closed'`);
  expect(await count(a)).toBe(4);
  await db().execute(sql`update radacct set nasipaddress = ${b}::inet where acctuniqueid = 'count-3'`);
  expect([await count(a), await count(b)]).toEqual([3, 1]);
  await db().execute(sql`delete from radacct where acctuniqueid in ('count-4', 'count-2')`);
  expect([await count(a), await count(b)]).toEqual([2, 1]);
  for (const ip of [a, b]) expect(await count(ip)).toBe(await exact(ip));
  await db().execute(sql`truncate radacct`);
  expect([await count(a), await count(b)]).toEqual([0, 0]);
});
