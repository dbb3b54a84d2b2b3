import { sql, type SQL } from 'drizzle-orm';
import type { SessionDetail, SessionItem } from '@/server/api/outputs/sessions';
import type { Actor } from '@/server/auth/actor';
import { toIso } from '@/server/services/nas/nas-read-model';
import { subscriberInScope } from '@/server/services/subscribers/subscriber-scope';

/**
 * The session read model: the columns every reader of a session shares and the one mapper to what the browser
 * may see. `r` is radacct in the caller's statement; `sessionViewJoins` brings `n` (its NAS) and `s` (the
 * subscriber of its username, only for a caller who may see that subscriber).
 */

/**
 * The list's order, newest start first, and its keyset: a session without a start (no writer of ours leaves
 * one) sorts as if it began at the epoch, so the key is never null. The same expression as radacct's
 * partial indexes on open sessions, which is what lets a page be read in index order.
 */
export const START_KEY = sql.raw(`coalesce(r.acctstarttime, 'epoch'::timestamptz)`);

export const SESSION_VIEW_COLUMNS = sql.raw(`
  r.radacctid as id, r.username, n.id as "nasId", n.name as "nasName", host(r.nasipaddress) as "nasIp",
  host(r.framedipaddress) as "framedIp", r.callingstationid as "callingStationId", r.acctsessionid as "acctSessionId",
  r.nasportid as "nasPortId", r.acctstarttime as "startedAt", r.acctupdatetime as "updatedAt",
  r.acctinputoctets as "inputBytes", r.acctoutputoctets as "outputBytes", s.id as "subscriberId",
  r.acctstoptime as "stoppedAt", r.acctterminatecause as "terminateCause",
  (extract(epoch from coalesce(r.acctstarttime, 'epoch'::timestamptz)) * 1000000)::int8 as "startKey"`);

export function sessionViewJoins(actor: Actor): SQL {
  const subscriberVisible = actor.permissions.has('subscribers.view') ? subscriberInScope(actor, sql`s.reseller_id`) : sql`false`;
  return sql`left join nas_devices n on n.ip_address = r.nasipaddress
    left join subscribers s on s.username = r.username and ${subscriberVisible}`;
}

export type SessionViewRow = {
  id: number | string;
  username: string | null;
  nasId: number | null;
  nasName: string | null;
  nasIp: string;
  framedIp: string | null;
  callingStationId: string | null;
  acctSessionId: string;
  nasPortId: string | null;
  startedAt: Date | string | null;
  updatedAt: Date | string | null;
  inputBytes: number | string | null;
  outputBytes: number | string | null;
  subscriberId: number | null;
  stoppedAt: Date | string | null;
  terminateCause: string | null;
  startKey: number | string;
};

const num = (v: number | string | null) => (v === null ? null : Number(v));

export function toSessionItem(r: SessionViewRow): SessionItem {
  return {
    id: Number(r.id),
    username: r.username,
    nas: r.nasId === null ? null : { id: r.nasId, name: r.nasName ?? '' },
    nasIp: r.nasIp,
    framedIp: r.framedIp,
    callingStationId: r.callingStationId,
    acctSessionId: r.acctSessionId,
    nasPortId: r.nasPortId,
    startedAt: toIso(r.startedAt),
    updatedAt: toIso(r.updatedAt),
    inputBytes: num(r.inputBytes),
    outputBytes: num(r.outputBytes),
    subscriberId: r.subscriberId,
  };
}

export function toSessionDetail(r: SessionViewRow): SessionDetail {
  return { ...toSessionItem(r), stoppedAt: toIso(r.stoppedAt), terminateCause: r.terminateCause };
}
