import { eq, sql } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { nasDevices } from '@/server/db/schema';
import { ConflictError, NotFoundError } from '@/server/errors';
import { writeAudit } from '@/server/services/audit/write-audit';
import { openSessionCount } from './nas-read-model';
import { nasInScope } from './nas-scope';

/** Refused while the NAS has open accounting sessions: deleting it would orphan live subscribers. */
export async function deleteNas(actor: Actor, id: number): Promise<{ id: number }> {
  return db().transaction(async (tx) => {
    const [row] = await tx.execute<{ name: string; ip: string; open: number }>(sql`
      select n.name, host(n.ip_address) as ip,
             ${openSessionCount('n')} as open
      from nas_devices n where n.id = ${id} and ${nasInScope(actor, sql`n.id`)}
      for update of n`);
    if (!row) throw new NotFoundError(`NAS #${id}`);
    if (row.open > 0) {
      const sessions = row.open === 1 ? '1 active session is' : `${row.open} active sessions are`;
      throw new ConflictError(`cannot delete NAS ${row.name}: ${sessions} open on ${row.ip}; disconnect them first`);
    }
    await tx.delete(nasDevices).where(eq(nasDevices.id, id));
    await writeAudit(tx, actor, {
      action: 'nas.delete',
      entityType: 'nas',
      entityId: id,
      summary: `deleted NAS ${row.name} (${row.ip})`,
    });
    return { id };
  });
}
