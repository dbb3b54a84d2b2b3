import { sql } from 'drizzle-orm';
import type { SubscriberDetail, SubscriberSession } from '@/server/api/outputs/subscribers';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { NotFoundError } from '@/server/errors';
import { toIso } from '@/server/services/nas/nas-read-model';
import {
  SUBSCRIBER_VIEW_COLUMNS,
  SUBSCRIBER_VIEW_JOINS,
  toHistoryEntry,
  toSubscriberListItem,
  type AuditRow,
  type SubscriberViewRow,
} from './subscriber-read-model';
import { subscriberInScope } from './subscriber-scope';

export const SESSIONS_SHOWN = 50;
export const HISTORY_SHOWN = 50;

type SessionRow = {
  id: number;
  started: string | null;
  stopped: string | null;
  time: number | null;
  nas_ip: string;
  framed_ip: string | null;
  calling: string | null;
  input: number | null;
  output: number | null;
  cause: string | null;
};

/**
 * The detail page in one statement, the scope in its WHERE: the subscriber as the list shows it, its last 50
 * sessions (radacct_user_start_idx: newest first without reading the rest) and its audit history.
 */
export async function getSubscriber(actor: Actor, id: number): Promise<SubscriberDetail> {
  const [r] = await db().execute<
    SubscriberViewRow & {
      hasPassword: boolean;
      createdAt: Date | string;
      updatedAt: Date | string;
      sessions: SessionRow[];
      history: AuditRow[];
    }
  >(sql`
    select ${SUBSCRIBER_VIEW_COLUMNS}, s.password_enc <> '' as "hasPassword", s.created_at as "createdAt", s.updated_at as "updatedAt",
      coalesce((select json_agg(x) from (
        select r.radacctid as id, r.acctstarttime as started, r.acctstoptime as stopped, r.acctsessiontime as time,
               host(r.nasipaddress) as nas_ip, host(r.framedipaddress) as framed_ip, r.callingstationid as calling,
               r.acctinputoctets as input, r.acctoutputoctets as output, r.acctterminatecause as cause
        from radacct r where r.username = s.username
        order by r.acctstarttime desc nulls last limit ${SESSIONS_SHOWN}) x), '[]') as sessions,
      coalesce((select json_agg(a) from (
        select id, at, actor_email, action, summary, changes from audit_log
        where entity_type = 'subscriber' and entity_id = s.id
        order by at desc, id desc limit ${HISTORY_SHOWN}) a), '[]') as history
    from subscribers s
    ${SUBSCRIBER_VIEW_JOINS}
    where s.id = ${id} and ${subscriberInScope(actor, sql`s.reseller_id`)}`);
  if (!r) throw new NotFoundError(`subscriber #${id}`);
  return {
    ...toSubscriberListItem(r),
    hasPassword: r.hasPassword,
    createdAt: toIso(r.createdAt)!,
    updatedAt: toIso(r.updatedAt)!,
    sessions: r.sessions.map(toSession),
    history: r.history.map(toHistoryEntry),
  };
}

function toSession(r: SessionRow): SubscriberSession {
  return {
    id: Number(r.id),
    startedAt: toIso(r.started),
    stoppedAt: toIso(r.stopped),
    sessionTime: r.time === null ? null : Number(r.time),
    nasIp: r.nas_ip,
    framedIp: r.framed_ip,
    callingStationId: r.calling,
    inputBytes: r.input === null ? null : Number(r.input),
    outputBytes: r.output === null ? null : Number(r.output),
    terminateCause: r.cause,
  };
}
