import { eq, sql } from 'drizzle-orm';
import type { PlanReplyFields } from '@/lib/radius-reply';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { nasDevices } from '@/server/db/schema';
import { NotFoundError } from '@/server/errors';
import { nasInScope } from '@/server/services/nas/nas-scope';
import { loadNasConnections, type NasConnection } from '@/server/services/nas/nas-target';

/** An open session as Disconnect and CoA name it, with what the subscriber's current plan would send. */
export interface ControlSession {
  id: number;
  username: string | null;
  acctSessionId: string;
  framedIp: string | null;
  nasIp: string;
  /** RADIUS Service-Type of the session: MikroTik's hotspot logins say Login-User, PPP says Framed-User. */
  serviceType: string | null;
  nasId: number;
  nasName: string;
  /** Null when no subscriber of that name exists any more, or it has no plan. */
  plan: (PlanReplyFields & { id: number; name: string }) | null;
  staticIp: string | null;
}

export interface ControlTarget {
  session: ControlSession;
  nas: NasConnection;
}

/**
 * The OPEN session and its NAS in the actor's scope, in one statement (out of scope, closed or unknown: not
 * found, the three indistinguishable), then the NAS as the server talks to it (secret, CoA port, API target).
 */
export async function loadControlTarget(actor: Actor, radacctId: number): Promise<ControlTarget> {
  const [row] = await db().execute<Omit<ControlSession, 'id'>>(sql`
    select r.username, r.acctsessionid as "acctSessionId", host(r.framedipaddress) as "framedIp",
      host(r.nasipaddress) as "nasIp", r.servicetype as "serviceType", n.id as "nasId", n.name as "nasName",
      host(s.static_ip) as "staticIp",
      case when p.id is null then null else json_build_object(
        'id', p.id, 'name', p.name, 'downloadKbps', p.download_kbps, 'uploadKbps', p.upload_kbps,
        'burstDownloadKbps', p.burst_download_kbps, 'burstUploadKbps', p.burst_upload_kbps,
        'burstThresholdDownloadKbps', p.burst_threshold_download_kbps, 'burstThresholdUploadKbps', p.burst_threshold_upload_kbps,
        'burstTimeS', p.burst_time_s, 'filterId', p.filter_id, 'framedPool', p.framed_pool,
        'sessionTimeoutS', p.session_timeout_s, 'interimIntervalS', p.interim_interval_s) end as plan
    from radacct r
    join nas_devices n on n.ip_address = r.nasipaddress
    left join subscribers s on s.username = r.username
    left join plans p on p.id = s.plan_id
    where r.radacctid = ${radacctId} and r.acctstoptime is null and ${nasInScope(actor, sql`n.id`)}`);
  if (!row) throw new NotFoundError(`session #${radacctId}`);
  // The scope was checked with the session, in the statement above.
  const [nas] = await loadNasConnections(eq(nasDevices.id, row.nasId));
  if (!nas) throw new NotFoundError(`session #${radacctId}`);
  return { session: { ...row, id: radacctId }, nas };
}
