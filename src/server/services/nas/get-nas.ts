import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import type { NasDetail, NasHistoryEntry } from '@/server/api/outputs/nas';
import { db } from '@/server/db/client';
import { nasDevices } from '@/server/db/schema';
import { NotFoundError } from '@/server/errors';
import { importStateSql } from '@/server/services/pools/pool-import-queue';
import { nasInScope } from './nas-scope';
import { nasApiPasswordBinding, nasSecretBinding, readStored } from './nas-secrets';
import { openSessionCount, subscriberCount, toIso, toNasDetail } from './nas-read-model';

/**
 * The detail view: editable fields (never secrets), live counts, assigned resellers, in one statement built
 * with drizzle's query builder from the read model's pieces; the scope is part of its WHERE.
 */
export async function getNas(actor: Actor, id: number): Promise<NasDetail> {
  const [r] = await db()
    .select({
      ...getTableColumns(nasDevices),
      ipAddress: sql<string>`host(${nasDevices.ipAddress})`,
      activeSessions: openSessionCount('nas_devices'),
      poolImportState: sql<
        NasDetail['poolImportState']
      >`(select ${importStateSql('ps')} from nas_pool_imports ps where ps.nas_id = ${nasDevices.id})`,
      poolImportError: sql<string | null>`(select ps.error from nas_pool_imports ps where ps.nas_id = ${nasDevices.id})`,
      totalUsers: subscriberCount('nas_devices'),
      resellers: sql<{ id: number; name: string }[]>`coalesce((
        select json_agg(json_build_object('id', rs.id, 'name', rs.name) order by rs.name)
        from reseller_nas rn join resellers rs on rs.id = rn.reseller_id where rn.nas_id = ${nasDevices.id}), '[]')`,
    })
    .from(nasDevices)
    .where(and(eq(nasDevices.id, id), nasInScope(actor)));
  if (!r) throw new NotFoundError(`NAS #${id}`);
  return toNasDetail(
    { ...r, hasSecret: r.secretEnc !== '', hasApiPassword: r.apiPasswordEnc !== '', poolImportState: r.poolImportState ?? 'none' },
    {
      resellers: r.resellers,
      // Opened here only to say whether they still open: the values never leave this function.
      secretUnreadable: readStored(r.secretEnc, nasSecretBinding(r.id)) === null,
      apiPasswordUnreadable: readStored(r.apiPasswordEnc, nasApiPasswordBinding(r.id)) === null,
    },
  );
}

/** Recent audit entries for one NAS, scoped like the NAS itself. */
export async function getNasHistory(actor: Actor, id: number, limit = 20): Promise<NasHistoryEntry[]> {
  // One statement: the scope check (same as the NAS itself: out of scope is not found) and the entries.
  const rows = await db().execute<{
    visible: boolean;
    id: number | null;
    at: string;
    actor_email: string;
    action: string;
    summary: string;
    changes: Record<string, unknown>;
  }>(sql`
    select v.visible, a.id, a.at, a.actor_email, a.action, a.summary, a.changes
    from (select ${nasInScope(actor, sql`${id}::int`)} as visible) v
    left join lateral (
      select id, at, actor_email, action, summary, changes from audit_log
      where entity_type = 'nas' and entity_id = ${id}
      order by at desc, id desc limit ${limit}
    ) a on v.visible`);
  if (!rows[0]?.visible) throw new NotFoundError(`NAS #${id}`);
  return rows
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: Number(r.id),
      at: toIso(r.at)!,
      actorEmail: r.actor_email,
      action: r.action,
      summary: r.summary,
      changedFields: Object.keys(r.changes ?? {}),
    }));
}
