import { eq, sql } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { subscribers } from '@/server/db/schema';
import { ConflictError, NotFoundError } from '@/server/errors';
import { writeAudit } from '@/server/services/audit/write-audit';
import { subscriberInScope } from './subscriber-scope';

/** Refused while a session is open: the router would keep a session no subscriber row accounts for. */
export async function deleteSubscriber(actor: Actor, id: number): Promise<{ id: number }> {
  return db().transaction(async (tx) => {
    const [row] = await tx.execute<{ username: string; open: number }>(sql`
      select s.username,
             (select count(*)::int from radacct r where r.username = s.username and r.acctstoptime is null) as open
      from subscribers s where s.id = ${id} and ${subscriberInScope(actor, sql`s.reseller_id`)}
      for update of s`);
    if (!row) throw new NotFoundError(`subscriber #${id}`);
    if (row.open > 0) {
      const sessions = row.open === 1 ? '1 session is' : `${row.open} sessions are`;
      throw new ConflictError(`cannot delete subscriber ${row.username}: ${sessions} open; disconnect them first`);
    }
    await tx.delete(subscribers).where(eq(subscribers.id, id));
    await writeAudit(tx, actor, {
      action: 'subscriber.delete',
      entityType: 'subscriber',
      entityId: id,
      summary: `deleted subscriber ${row.username}`,
    });
    return { id };
  });
}
