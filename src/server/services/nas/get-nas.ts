import { sql } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { NotFoundError } from '@/server/errors';
import { importStateSql } from '@/server/services/pools/pool-import-queue';
import { nasInScope } from './nas-scope';
import { nasApiPasswordBinding, nasSecretBinding, readStored } from './nas-secrets';
import { toIso, type NasDetail, type NasHistoryEntry } from './nas-view';

/** The detail view: editable fields (never secrets), live counts, assigned resellers. One statement. */
export async function getNas(actor: Actor, id: number): Promise<NasDetail> {
  const [r] = await db().execute<Record<string, unknown>>(sql`
    select n.id, n.name, n.short_name, host(n.ip_address) as ip, n.type, n.is_active, n.is_online, n.last_seen,
           n.version, n.secret_enc <> '' as has_secret, n.api_password_enc <> '' as has_api_password, n.secret_enc, n.api_password_enc,
           n.description, n.auth_port, n.acct_port, n.coa_port, n.api_username, n.api_port, n.api_ssl_port,
           n.use_ssl, n.tls_allow_anonymous, n.tls_fingerprint, n.tls_seen_fingerprint, n.api_host, n.subscriber_pools, n.allowed_realms, n.created_at, n.updated_at,
           ${importStateSql('ps')} as pool_state, coalesce(ps.error, '') as pool_error,
           (select count(*)::int from radacct r where r.nasipaddress = n.ip_address and r.acctstoptime is null) as active_sessions,
           (select count(*)::int from subscribers s where s.nas_id = n.id) as total_users,
           coalesce((select json_agg(json_build_object('id', rs.id, 'name', rs.name) order by rs.name)
                     from reseller_nas rn join resellers rs on rs.id = rn.reseller_id where rn.nas_id = n.id), '[]') as resellers
    from nas_devices n left join nas_pool_sync ps on ps.nas_id = n.id
    where n.id = ${id} and ${nasInScope(actor, sql`n.id`)}`);
  if (!r) throw new NotFoundError(`NAS #${id}`);
  const apiUsername = r.api_username as string;
  return {
    id: r.id as number,
    name: r.name as string,
    shortName: r.short_name as string,
    ipAddress: r.ip as string,
    type: r.type as NasDetail['type'],
    isActive: r.is_active as boolean,
    isOnline: r.is_online as boolean,
    lastSeen: toIso(r.last_seen as string | null),
    version: r.version as string,
    activeSessions: r.active_sessions as number,
    hasSecret: r.has_secret as boolean,
    hasApiPassword: r.has_api_password as boolean,
    hasApiCredentials: apiUsername !== '' && (r.has_api_password as boolean),
    // Opened here only to say whether they still open: the values never leave this function.
    secretUnreadable: readStored(r.secret_enc as string, nasSecretBinding(r.id as number)) === null,
    apiPasswordUnreadable: readStored(r.api_password_enc as string, nasApiPasswordBinding(r.id as number)) === null,
    poolImportState: r.pool_state as NasDetail['poolImportState'],
    poolImportError: r.pool_error as string,
    description: r.description as string,
    authPort: r.auth_port as number,
    acctPort: r.acct_port as number,
    coaPort: r.coa_port as number,
    apiUsername,
    apiPort: r.api_port as number,
    apiSslPort: r.api_ssl_port as number,
    useSsl: r.use_ssl as boolean,
    tlsAllowAnonymous: r.tls_allow_anonymous as boolean,
    tlsFingerprint: r.tls_fingerprint as string,
    tlsSeenFingerprint: r.tls_seen_fingerprint as string,
    apiHost: r.api_host as string,
    subscriberPools: r.subscriber_pools as string,
    allowedRealms: r.allowed_realms as string,
    totalUsers: r.total_users as number,
    resellers: r.resellers as { id: number; name: string }[],
    createdAt: toIso(r.created_at as string)!,
    updatedAt: toIso(r.updated_at as string)!,
  };
}

/** Recent audit entries for one NAS, scoped like the NAS itself. */
export async function getNasHistory(actor: Actor, id: number, limit = 20): Promise<NasHistoryEntry[]> {
  // One statement: the scope check (same as the NAS itself: out of scope is not found) and the entries.
  const rows = await db().execute<{ visible: boolean; id: number | null; at: string; actor_email: string; action: string; summary: string; changes: Record<string, unknown> }>(sql`
    select v.visible, a.id, a.at, a.actor_email, a.action, a.summary, a.changes
    from (select ${nasInScope(actor, sql`${id}::int`)} as visible) v
    left join lateral (
      select id, at, actor_email, action, summary, changes from audit_log
      where entity_type = 'nas' and entity_id = ${id}
      order by at desc, id desc limit ${limit}
    ) a on v.visible`);
  if (!rows[0]?.visible) throw new NotFoundError(`NAS #${id}`);
  return rows.filter((r) => r.id !== null).map((r) => ({
    id: Number(r.id),
    at: toIso(r.at)!,
    actorEmail: r.actor_email,
    action: r.action,
    summary: r.summary,
    changedFields: Object.keys(r.changes ?? {}),
  }));
}
