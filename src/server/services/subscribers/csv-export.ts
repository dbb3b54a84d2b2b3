import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Actor } from '@/server/auth/actor';
import { sqlClient } from '@/server/db/client';
import { csvLine, spreadsheetText } from './csv-parse';
import { CSV_COLUMNS } from './csv-read';
import { subscriberInScope } from './subscriber-scope';

const dialect = new PgDialect();
/** Rows per cursor fetch: memory stays flat at 500,000 subscribers. */
const FETCH = 2000;

/**
 * The subscribers in the actor's scope as our import CSV, read through a cursor and yielded a chunk of text at a
 * time, never the table in memory. The password column stays empty: passwords are never exported. The NAS is
 * written as its IP, which is unique where names need not be, so the file imports back as it is. A username or
 * plan that a spreadsheet would run as a formula is written as text (`spreadsheetText`).
 */
export async function* exportSubscribersCsv(actor: Actor, filter: { nasId: number | null }): AsyncGenerator<string> {
  const query = dialect.sqlToQuery(sql`
    select s.username, coalesce(p.name, '') as plan, coalesce(host(n.ip_address), '') as nas,
      coalesce(host(s.static_ip), '') as static_ip, s.is_active
    from subscribers s left join plans p on p.id = s.plan_id left join nas_devices n on n.id = s.nas_id
    where ${subscriberInScope(actor, sql`s.reseller_id`)} ${filter.nasId === null ? sql`` : sql`and s.nas_id = ${filter.nasId}`}
    order by s.id`);
  yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
  const cursor = sqlClient()
    .unsafe<{ username: string; plan: string; nas: string; static_ip: string; is_active: boolean }[]>(query.sql, query.params as never[])
    .cursor(FETCH);
  for await (const rows of cursor) {
    let out = '';
    for (const r of rows)
      out += csvLine([spreadsheetText(r.username), '', spreadsheetText(r.plan), r.nas, r.static_ip, r.is_active ? 'true' : 'false']);
    yield out;
  }
}
