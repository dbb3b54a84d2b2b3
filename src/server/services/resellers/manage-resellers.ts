import { and, eq, sql } from 'drizzle-orm';
import type { CreateResellerInput, SetAssignmentInput } from '@/lib/schemas/resellers';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { withConstraintErrors } from '@/server/services/constraint-errors';
import { resellerNas, resellers } from '@/server/db/schema';
import { NotFoundError } from '@/server/errors';
import { writeAudit } from '@/server/services/audit/write-audit';

export type ResellerView = {
  id: number;
  name: string;
  contactEmail: string;
  nasCount: number;
  userCount: number;
};

export async function listResellers(): Promise<ResellerView[]> {
  const rows = await db().execute<ResellerView>(sql`
    select r.id, r.name, r.contact_email as "contactEmail",
           (select count(*)::int from reseller_nas rn where rn.reseller_id = r.id) as "nasCount",
           (select count(*)::int from users u where u.reseller_id = r.id) as "userCount"
    from resellers r order by lower(r.name)`);
  return [...rows];
}

export async function createReseller(actor: Actor, input: CreateResellerInput): Promise<{ id: number }> {
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      const [row] = await tx.insert(resellers).values(input).returning({ id: resellers.id });
      await writeAudit(tx, actor, {
        action: 'reseller.create',
        entityType: 'reseller',
        entityId: row.id,
        summary: `created reseller ${input.name}`,
      });
      return row;
    }),
  );
}

/** A reseller and every NAS, each marked assigned or not: the assignment screen in one query. */
export async function getReseller(id: number) {
  const [reseller] = await db().select().from(resellers).where(eq(resellers.id, id));
  if (!reseller) throw new NotFoundError(`reseller #${id}`);
  const nas = await db().execute<{ id: number; name: string; ipAddress: string; type: string; assigned: boolean }>(sql`
    select n.id, n.name, host(n.ip_address) as "ipAddress", n.type,
           exists (select 1 from reseller_nas rn where rn.nas_id = n.id and rn.reseller_id = ${id}) as assigned
    from nas_devices n order by lower(n.name), n.id`);
  return { id: reseller.id, name: reseller.name, contactEmail: reseller.contactEmail, nas: [...nas] };
}

export async function setAssignment(actor: Actor, input: SetAssignmentInput) {
  await withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      const [names] = await tx.execute<{ nas: string | null; reseller: string | null }>(sql`
        select (select name from nas_devices where id = ${input.nasId}) as nas, (select name from resellers where id = ${input.resellerId}) as reseller`);
      if (!names.nas) throw new NotFoundError(`NAS #${input.nasId}`);
      if (!names.reseller) throw new NotFoundError(`reseller #${input.resellerId}`);
      const label = `NAS ${names.nas} ${input.assigned ? 'assigned to' : 'unassigned from'} reseller ${names.reseller}`;
      if (input.assigned) {
        const inserted = await tx
          .insert(resellerNas)
          .values({ resellerId: input.resellerId, nasId: input.nasId })
          .onConflictDoNothing()
          .returning();
        if (inserted.length === 0) return;
      } else {
        const removed = await tx
          .delete(resellerNas)
          .where(and(eq(resellerNas.resellerId, input.resellerId), eq(resellerNas.nasId, input.nasId)))
          .returning();
        if (removed.length === 0) return;
      }
      await writeAudit(tx, actor, {
        action: input.assigned ? 'reseller.assign' : 'reseller.unassign',
        entityType: 'nas',
        entityId: input.nasId,
        summary: label,
        changes: { resellerId: input.resellerId },
      });
    }),
  );
  return { ok: true };
}
