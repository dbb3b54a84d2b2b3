import { sql, type SQL } from 'drizzle-orm';
import type { SubscriberHistoryEntry, SubscriberListItem } from '@/server/api/outputs/subscribers';
import { toIso } from '@/server/services/nas/nas-read-model';

/**
 * The subscriber read model: the SQL every reader of subscriber rows shares, the row shape, and the one mapper
 * from a row to what the browser may see. `s` is the alias of subscribers in the caller's statement; the
 * joins below (`n`, `p`, `rs`, `o`) come with `subscriberViewJoins`. Never selects password_enc.
 */
export const SUBSCRIBER_VIEW_COLUMNS = sql.raw(`
  s.id, s.username, s.is_active as enabled, host(s.static_ip) as "staticIp",
  n.id as "nasId", n.name as "nasName", host(n.ip_address) as "nasIp",
  p.id as "planId", p.name as "planName",
  rs.id as "resellerId", rs.name as "resellerName",
  (s.reseller_id is not null and s.nas_id is not null and not exists (
    select 1 from reseller_nas rn where rn.nas_id = s.nas_id and rn.reseller_id = s.reseller_id)) as "nasNotAssigned",
  o.framed_ip as "onlineIp", o.started_at as "onlineSince", o.nas_ip as "onlineNasIp", o.calling as "onlineCalling",
  (select r.acctstarttime from radacct r where r.username = s.username
    order by r.acctstarttime desc nulls last limit 1) as "lastSessionAt"`);

/**
 * The joins the columns need. The open session is found through the partial index on open rows' username
 * (radacct_open_user_idx), the last session through radacct_user_start_idx: two index probes per row shown.
 */
export const SUBSCRIBER_VIEW_JOINS = sql.raw(`
  left join nas_devices n on n.id = s.nas_id
  left join plans p on p.id = s.plan_id
  left join resellers rs on rs.id = s.reseller_id
  left join lateral (
    select host(r.framedipaddress) as framed_ip, r.acctstarttime as started_at, host(r.nasipaddress) as nas_ip,
           r.callingstationid as calling
    from radacct r where r.username = s.username and r.acctstoptime is null
    order by r.acctstarttime desc nulls last limit 1) o on true`);

/** Whether the subscriber `s` has a session open now (the same partial index). */
export const IS_ONLINE: SQL = sql.raw(`exists (select 1 from radacct r where r.username = s.username and r.acctstoptime is null)`);

export type SubscriberViewRow = {
  id: number;
  username: string;
  enabled: boolean;
  staticIp: string | null;
  nasId: number | null;
  nasName: string | null;
  nasIp: string | null;
  planId: number | null;
  planName: string | null;
  resellerId: number | null;
  resellerName: string | null;
  nasNotAssigned: boolean;
  onlineIp: string | null;
  onlineSince: Date | string | null;
  onlineNasIp: string | null;
  onlineCalling: string | null;
  lastSessionAt: Date | string | null;
};

export function toSubscriberListItem(r: SubscriberViewRow): SubscriberListItem {
  return {
    id: r.id,
    username: r.username,
    enabled: r.enabled,
    staticIp: r.staticIp,
    nas: r.nasId === null ? null : { id: r.nasId, name: r.nasName ?? '', ipAddress: r.nasIp ?? '' },
    plan: r.planId === null ? null : { id: r.planId, name: r.planName ?? '' },
    reseller: r.resellerId === null ? null : { id: r.resellerId, name: r.resellerName ?? '' },
    nasNotAssigned: r.nasNotAssigned,
    online:
      r.onlineNasIp === null
        ? null
        : { framedIp: r.onlineIp, startedAt: toIso(r.onlineSince), nasIp: r.onlineNasIp, callingStationId: r.onlineCalling },
    lastSessionAt: toIso(r.lastSessionAt),
  };
}

export type AuditRow = { id: number | string; at: Date | string; actor_email: string; action: string; summary: string; changes: unknown };

export function toHistoryEntry(r: AuditRow): SubscriberHistoryEntry {
  return {
    id: Number(r.id),
    at: toIso(r.at)!,
    actorEmail: r.actor_email,
    action: r.action,
    summary: r.summary,
    changedFields: Object.keys((r.changes as Record<string, unknown> | null) ?? {}),
  };
}
