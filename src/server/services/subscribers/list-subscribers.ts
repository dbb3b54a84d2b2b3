import { sql } from 'drizzle-orm';
import type { ListSubscribersInput } from '@/lib/schemas/subscribers';
import type { SubscriberList } from '@/server/api/outputs/subscribers';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { subscriberInScope } from './subscriber-scope';
import { subscriberSearch } from './subscriber-search';
import {
  IS_ONLINE,
  SUBSCRIBER_VIEW_COLUMNS,
  SUBSCRIBER_VIEW_JOINS,
  toSubscriberListItem,
  type SubscriberViewRow,
} from './subscriber-read-model';

/** Matches are counted up to this many: the pager says "10,000+" rather than counting 500,000 rows per request. */
export const TOTAL_CAP = 10_000;

const onlineFilter = { all: sql`true`, online: IS_ONLINE, offline: sql`not ${IS_ONLINE}` } as const;

/**
 * One page in username order, keyset-paged (`after` the previous page's last username), so page 1,000 costs what
 * page 1 does: the page's ids first through the username index, then the view columns for just those rows. The
 * reseller scope is part of the WHERE.
 */
export async function listSubscribers(actor: Actor, input: ListSubscribersInput): Promise<SubscriberList> {
  const where = sql`${subscriberInScope(actor, sql`s.reseller_id`)}
    and ${input.nasId === null ? sql`true` : sql`s.nas_id = ${input.nasId}`}
    and ${input.planId === null ? sql`true` : sql`s.plan_id = ${input.planId}`}
    and ${onlineFilter[input.online]}
    and ${subscriberSearch(input.search)}`;
  const [rows, [count]] = await Promise.all([
    db().execute<SubscriberViewRow>(sql`
      with page as (
        select s.id, s.username from subscribers s
        where ${where} and ${input.after === null ? sql`true` : sql`s.username > ${input.after}`}
        order by s.username
        limit ${input.limit + 1}
      )
      select ${SUBSCRIBER_VIEW_COLUMNS}
      from page pg join subscribers s on s.id = pg.id
      ${SUBSCRIBER_VIEW_JOINS}
      order by s.username`),
    db().execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from subscribers s where ${where} limit ${TOTAL_CAP + 1}) c`),
  ]);
  const more = rows.length > input.limit;
  const items = rows.slice(0, input.limit).map(toSubscriberListItem);
  return {
    items,
    total: Math.min(count.n, TOTAL_CAP),
    totalCapped: count.n > TOTAL_CAP,
    nextCursor: more ? items[items.length - 1].username : null,
  };
}
