import { sql } from 'drizzle-orm';
import type { CreateSubscriberInput } from '@/lib/schemas/subscribers';
import type { Actor } from '@/server/auth/actor';
import { encryptSecret } from '@/server/crypto/secret-box';
import { db } from '@/server/db/client';
import { subscriberPasswordBinding } from '@/server/radius-service/subscribers';
import { writeAudit } from '@/server/services/audit/write-audit';
import { withConstraintErrors } from '@/server/services/constraint-errors';
import { diffSubscriber } from './subscriber-changes';
import { placementAllowed, placementVerdict, throwIfRefused, type Placement, type PlacementVerdict } from './subscriber-placement';
import { subscriberResellerFor } from './subscriber-reseller';

/**
 * Check, insert, seal the password and audit in one transaction; the reseller guard and the insert are one
 * statement. The unique indexes decide a taken username or static IP, so concurrent creates cannot both win.
 */
export async function createSubscriber(actor: Actor, input: CreateSubscriberInput): Promise<{ id: number }> {
  const { password, username, nasId, planId, staticIp, enabled } = input;
  const resellerId = subscriberResellerFor(actor, input.resellerId);
  const placement: Placement = { resellerId, nasId, planId, staticIp };
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      // The id first: the password's ciphertext is bound to its row.
      const [{ id }] = await tx.execute<{ id: number }>(sql`select nextval(pg_get_serial_sequence('subscribers', 'id'))::int as id`);
      const passwordEnc = encryptSecret(password, subscriberPasswordBinding(id));
      const [verdict] = await tx.execute<PlacementVerdict & { inserted: boolean }>(sql`
        with chk as (${placementVerdict(actor, placement, { nas: true, plan: true, staticIp: true })}),
        ins as (
          insert into subscribers (id, username, reseller_id, nas_id, plan_id, static_ip, is_active, password_enc)
          select ${id}::int, ${username}::text, ${resellerId}::int, ${nasId}::int, ${planId}::int, ${staticIp}::inet,
                 ${enabled}::boolean, ${passwordEnc}::text
          from chk where ${placementAllowed}
          returning id)
        select chk.*, exists (select 1 from ins) as inserted from chk`);
      throwIfRefused(verdict, placement);
      const fields = { username, nasId, planId, resellerId, staticIp, enabled };
      await writeAudit(tx, actor, {
        action: 'subscriber.create',
        entityType: 'subscriber',
        entityId: id,
        summary: `created subscriber ${username} on NAS ${verdict.nas_name}, plan ${verdict.plan_name}${
          verdict.reseller_name ? ` for reseller ${verdict.reseller_name}` : ''
        }`,
        changes: { ...diffSubscriber({}, fields), password: 'set' },
      });
      return { id };
    }),
  );
}
