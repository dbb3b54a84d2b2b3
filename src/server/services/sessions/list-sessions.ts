import { sql, type SQL } from 'drizzle-orm';
import type { ListSessionsInput } from '@/lib/schemas/sessions';
import type { SessionList } from '@/server/api/outputs/sessions';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { SESSION_VIEW_COLUMNS, START_KEY, sessionViewJoins, toSessionItem, type SessionViewRow } from './session-read-model';
import { nasAddressesInScope, sessionInScope } from './session-scope';
import { sessionSearch } from './session-search';

/** A search's matches are counted up to this many ("10,000+"), as on the Subscribers page. */
export const TOTAL_CAP = 10_000;

/**
 * One page of open sessions, newest start first, keyset-paged on (start, id) in the order of radacct's partial
 * indexes on open sessions: page 1,000 costs what page 1 does, and sessions opening or closing meanwhile never
 * make a later page skip or repeat a row. The reseller scope is part of the WHERE. The total without a search
 * is the sum of the exact per-NAS counts the accounting triggers keep, not a count of 200,000 rows.
 */
export async function listSessions(actor: Actor, input: ListSessionsInput): Promise<SessionList> {
  const nasIp = input.nasId === null ? null : sql`(select ip_address from nas_devices where id = ${input.nasId})`;
  const limit = input.limit + 1;
  const [rows, [total]] = await Promise.all([
    db().execute<SessionViewRow>(sql`
      with page as (${pageIds(actor, input, nasIp, limit)})
      select ${SESSION_VIEW_COLUMNS}
      from page p join radacct r on r.radacctid = p.radacctid
      ${sessionViewJoins(actor)}
      order by ${START_KEY} desc, r.radacctid desc`),
    db().execute<{ n: number }>(
      input.search === ''
        ? sql`select coalesce(sum(c.open), 0)::int as n from nas_session_counts c
            where ${sessionInScope(actor, sql`c.nasipaddress`)} and ${nasIp ? sql`c.nasipaddress = ${nasIp}` : sql`true`}`
        : sql`select count(*)::int as n from (select 1 from radacct r where ${matching(actor, input, nasIp)} limit ${TOTAL_CAP + 1}) c`,
    ),
  ]);
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  const capped = input.search !== '' && total.n > TOTAL_CAP;
  return {
    items: page.map(toSessionItem),
    total: capped ? TOTAL_CAP : total.n,
    totalCapped: capped,
    nextCursor: more ? { start: Number(last.startKey), id: Number(last.id) } : null,
  };
}

function matching(actor: Actor, input: ListSessionsInput, nasIp: SQL | null): SQL {
  return sql`r.acctstoptime is null and ${sessionInScope(actor, sql`r.nasipaddress`)}
    and ${nasIp ? sql`r.nasipaddress = ${nasIp}` : sql`true`} and ${sessionSearch(input.search)}`;
}

/**
 * The page's ids. A reseller's unfiltered list is the newest of each of its NAS's newest (radacct_open_nas_start_idx,
 * at most `limit` rows per NAS): its cost is bounded by its NAS count, whatever the age of its sessions, where
 * walking everyone's newest sessions for the reseller's could read most of the 200,000 when its are the oldest.
 * Everything else is one ordered walk of an index the planner picks: all sessions, one NAS's, or a search's.
 */
function pageIds(actor: Actor, input: ListSessionsInput, nasIp: SQL | null, limit: number): SQL {
  const after = input.after
    ? sql`(${START_KEY}, r.radacctid) < ('epoch'::timestamptz + ${input.after.start}::int8 * interval '1 microsecond', ${input.after.id}::int8)`
    : sql`true`;
  if (input.search === '' && nasIp === null && !actor.permissions.has('nas.all')) {
    return sql`
      select x.radacctid from (${nasAddressesInScope(actor)}) sn
      cross join lateral (
        select r.radacctid, ${START_KEY} as k from radacct r
        where r.acctstoptime is null and r.nasipaddress = sn.ip_address and ${after}
        order by ${START_KEY} desc, r.radacctid desc
        limit ${limit}) x
      order by x.k desc, x.radacctid desc
      limit ${limit}`;
  }
  return sql`
    select r.radacctid from radacct r
    where ${matching(actor, input, nasIp)} and ${after}
    order by ${START_KEY} desc, r.radacctid desc
    limit ${limit}`;
}
