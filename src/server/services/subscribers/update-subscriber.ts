import { sql } from 'drizzle-orm';
import type { UpdateSubscriberInput } from '@/lib/schemas/subscribers';
import type { Actor } from '@/server/auth/actor';
import { encryptSecret } from '@/server/crypto/secret-box';
import { db } from '@/server/db/client';
import { NotFoundError } from '@/server/errors';
import { subscriberPasswordBinding } from '@/server/radius-service/subscribers';
import { writeAudit } from '@/server/services/audit/write-audit';
import { withConstraintErrors } from '@/server/services/constraint-errors';
import { describeChanges, type FieldChange } from '@/server/services/nas/nas-changes';
import { readStored } from '@/server/services/nas/nas-secrets';
import { diffSubscriber, type AuditedSubscriber } from './subscriber-changes';
import { placementAllowed, placementVerdict, throwIfRefused, type Placement, type PlacementVerdict } from './subscriber-placement';
import { subscriberResellerFor } from './subscriber-reseller';
import { subscriberInScope } from './subscriber-scope';

type CurrentRow = {
  username: string;
  nas_id: number | null;
  plan_id: number | null;
  reseller_id: number | null;
  static_ip: string | null;
  is_active: boolean;
  password_enc: string;
};

/**
 * Lock the row (in scope), diff, then judge and write in one statement, and audit. Only what changes is judged:
 * a subscriber left on a NAS that was moved away from its reseller stays editable (it is flagged, not stuck), but
 * nobody can put one there. An empty password keeps the stored one.
 */
export async function updateSubscriber(actor: Actor, input: UpdateSubscriberInput): Promise<{ id: number; changedFields: string[] }> {
  const { id, password, username, nasId, planId, staticIp, enabled } = input;
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      const [cur] = await tx.execute<CurrentRow>(sql`
        select s.username, s.nas_id, s.plan_id, s.reseller_id, host(s.static_ip) as static_ip, s.is_active, s.password_enc
        from subscribers s where s.id = ${id} and ${subscriberInScope(actor, sql`s.reseller_id`)}
        for update`);
      if (!cur) throw new NotFoundError(`subscriber #${id}`);
      const resellerId = subscriberResellerFor(actor, input.resellerId);
      const before: AuditedSubscriber = {
        username: cur.username,
        nasId: cur.nas_id,
        planId: cur.plan_id,
        resellerId: cur.reseller_id,
        staticIp: cur.static_ip,
        enabled: cur.is_active,
      };
      const changes: Record<string, FieldChange> = diffSubscriber(before, { username, nasId, planId, resellerId, staticIp, enabled });

      const binding = subscriberPasswordBinding(id);
      let passwordEnc: string | null = null;
      // Compared with the stored one so re-typing the same password is not logged as a change.
      if (password !== '' && readStored(cur.password_enc, binding) !== password) {
        passwordEnc = encryptSecret(password, binding);
        changes.password = 'changed';
      }
      const changedFields = Object.keys(changes);
      if (changedFields.length === 0) return { id, changedFields };

      const placement: Placement = { resellerId, nasId, planId, staticIp };
      const moved = 'resellerId' in changes || 'nasId' in changes;
      const judge = { nas: moved, plan: 'resellerId' in changes || 'planId' in changes, staticIp: moved || 'staticIp' in changes };
      const [verdict] = await tx.execute<PlacementVerdict & { written: boolean }>(sql`
        with chk as (${placementVerdict(actor, placement, judge)}),
        upd as (
          update subscribers s set username = ${username}::text, reseller_id = ${resellerId}::int, nas_id = ${nasId}::int,
            plan_id = ${planId}::int, static_ip = ${staticIp}::inet, is_active = ${enabled}::boolean,
            password_enc = coalesce(${passwordEnc}::text, s.password_enc), updated_at = now()
          from chk where s.id = ${id} and ${placementAllowed}
          returning s.id)
        select chk.*, exists (select 1 from upd) as written from chk`);
      throwIfRefused(verdict, placement);
      await writeAudit(tx, actor, {
        action: 'subscriber.update',
        entityType: 'subscriber',
        entityId: id,
        summary: `updated subscriber ${username}: ${describeChanges(changes)}`,
        changes,
      });
      return { id, changedFields };
    }),
  );
}
