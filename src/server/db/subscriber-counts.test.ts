import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { db } from './client';

/** nas_subscriber_counts (Total Users) follows subscribers exactly, whatever writes them (migration 0014). */
const counts = async (ids: number[]) => {
  const rows = await db().execute<{ nas_id: number; subscribers: number }>(sql`select nas_id, subscribers from nas_subscriber_counts`);
  return ids.map((id) => rows.find((r) => r.nas_id === id)?.subscribers ?? 0);
};
const exact = async (ids: number[]) => {
  const rows = await db().execute<{ nas_id: number; n: number }>(sql`select nas_id, count(*)::int as n from subscribers group by nas_id`);
  return ids.map((id) => rows.find((r) => r.nas_id === id)?.n ?? 0);
};

it('counts subscribers per NAS through inserts, moves, deletes, a deleted NAS and truncate', async () => {
  const nas = await db().execute<{ id: number }>(sql`insert into nas_devices (name, ip_address, secret_enc)
    select 'count-' || g, ('192.0.2.' || g)::inet, '' from generate_series(1, 3) g returning id`);
  const [a, b, c] = nas.map((n) => n.id);
  await db().execute(sql`insert into subscribers (username, nas_id) select 'u' || g, ${a} from generate_series(1, 1000) g`);
  await db().execute(sql`insert into subscribers (username, nas_id) values ('b1', ${b}), ('b2', ${b}), ('none', null)`);
  expect(await counts([a, b, c])).toEqual([1000, 2, 0]);
  // An edit that keeps the NAS changes nothing; a move counts on both sides, in one statement for many rows.
  await db().execute(sql`update subscribers set is_active = false where nas_id = ${a}`);
  expect(await counts([a, b, c])).toEqual([1000, 2, 0]);
  await db().execute(sql`update subscribers set nas_id = case when username like 'u1%' then ${c}::int else ${b}::int end
    where username in ('u1', 'u10', 'u2', 'none')`);
  expect(await counts([a, b, c])).toEqual([997, 4, 2]);
  await db().execute(sql`delete from subscribers where username in ('u3', 'b1', 'none')`);
  expect(await counts([a, b, c])).toEqual([996, 2, 2]); // 'none' had moved to b
  expect(await counts([a, b, c])).toEqual(await exact([a, b, c]));
  // Deleting a NAS sets its subscribers' NAS to none: its count row goes with it, the others stay exact.
  await db().execute(sql`delete from nas_devices where id = ${c}`);
  expect(await counts([a, b, c])).toEqual([996, 2, 0]);
  expect(await counts([a, b])).toEqual(await exact([a, b]));
  await db().execute(sql`truncate subscribers cascade`);
  expect(await counts([a, b])).toEqual([0, 0]);
});
