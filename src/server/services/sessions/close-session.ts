import { sql } from 'drizzle-orm';
import { PG_INT_MAX } from '@/lib/schemas/common';
import type { ClosedSession } from '@/server/api/outputs/sessions';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { ConflictError, NotFoundError } from '@/server/errors';
import { writeAudit } from '@/server/services/audit/write-audit';
import { toIso } from '@/server/services/nas/nas-read-model';
import { sessionInScope } from './session-scope';

/** RFC 2866 Acct-Terminate-Cause 6: what a Stop would say had an administrator reset the port. */
export const CLOSED_BY_HAND_CAUSE = 'Admin-Reset';

type Target = {
  username: string | null;
  stoppedAt: Date | string | null;
  startedAt: Date | string | null;
  acctSessionId: string;
  nasIp: string;
  framedIp: string | null;
  nasId: number | null;
  nasName: string | null;
};

/**
 * Closes by hand an open session whose Stop never came (the router rebooted without Accounting-On, the packet
 * was lost), with what a Stop does, in one transaction: the row gets its stop time, session time and cause
 * (the per-NAS open count follows through radacct's trigger), its address goes back to available in the NAS's
 * pool unless another open session holds it, and the audit entry is written. Only an open session in scope.
 */
export async function closeSession(actor: Actor, id: number): Promise<ClosedSession> {
  return db().transaction(async (tx) => {
    const [row] = await tx.execute<Target>(sql`
      select r.username, r.acctstoptime as "stoppedAt", r.acctstarttime as "startedAt", r.acctsessionid as "acctSessionId",
             host(r.nasipaddress) as "nasIp", host(r.framedipaddress) as "framedIp", n.id as "nasId", n.name as "nasName"
      from radacct r left join nas_devices n on n.ip_address = r.nasipaddress
      where r.radacctid = ${id} and ${sessionInScope(actor, sql`r.nasipaddress`)}
      for update of r`);
    if (!row) throw new NotFoundError(`session #${id}`);
    const who = `session #${id}${row.username ? ` of ${row.username}` : ''}`;
    if (row.stoppedAt !== null) throw new ConflictError(`${who} is already closed (since ${toIso(row.stoppedAt)}); nothing to close`);

    const [closed] = await tx.execute<{ stoppedAt: Date | string }>(sql`
      update radacct r set acctstoptime = now(), acctupdatetime = now(),
        acctsessiontime = greatest(0, extract(epoch from now() - r.acctstarttime))::bigint, acctterminatecause = ${CLOSED_BY_HAND_CAUSE}
      where r.radacctid = ${id}
      returning r.acctstoptime as "stoppedAt"`);
    // As a Stop frees it (radius-service/accounting-writer.ts, markAvailable): this row is closed already.
    const freed =
      row.framedIp !== null && row.nasId !== null
        ? await tx.execute(sql`
            update ip_pool_assignments a set status = 'available', username = null, updated_at = now()
            where a.nas_id = ${row.nasId} and a.ip_address = ${row.framedIp}::inet and a.status = 'in_use'
              and not exists (select 1 from radacct o where o.nasipaddress = ${row.nasIp}::inet
                              and o.framedipaddress = a.ip_address and o.acctstoptime is null)
            returning a.id`)
        : [];
    const nas = row.nasName === null ? row.nasIp : `${row.nasName} (${row.nasIp})`;
    await writeAudit(tx, actor, {
      action: 'session.close',
      entityType: 'session',
      // audit_log.entity_id is an integer; radacctid a bigint: beyond it the id is in `changes` only.
      entityId: id <= PG_INT_MAX ? id : null,
      summary: `closed ${who} on ${nas} by hand (no Stop received): ${CLOSED_BY_HAND_CAUSE}`,
      changes: {
        sessionId: id,
        username: row.username,
        nas,
        acctSessionId: row.acctSessionId,
        framedIp: row.framedIp,
        startedAt: toIso(row.startedAt),
        terminateCause: CLOSED_BY_HAND_CAUSE,
        addressFreed: freed.length > 0,
      },
    });
    return { id, username: row.username, stoppedAt: toIso(closed.stoppedAt)! };
  });
}
