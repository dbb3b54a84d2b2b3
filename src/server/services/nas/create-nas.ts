import type { CreateNasInput } from '@/lib/schemas/nas';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { withConstraintErrors } from '@/server/services/constraint-errors';
import { nasDevices, resellerNas } from '@/server/db/schema';
import { sql } from 'drizzle-orm';
import { writeAudit } from '@/server/services/audit/write-audit';
import { diffNas } from './nas-changes';
import { afterNasSaved } from './nas-hooks';
import { sealNasSecrets } from './nas-secrets';

/**
 * Insert, assign to the creating reseller, audit, and queue the pool import, all in one transaction. The
 * unique index decides duplicates, so two concurrent creates of one IP cannot both win.
 */
export async function createNas(actor: Actor, input: CreateNasInput): Promise<{ id: number }> {
  const { secret, apiPassword, ...fields } = input;
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      // The id first: the secrets' ciphertexts are bound to their row.
      const [{ id }] = await tx.execute<{ id: number }>(sql`select nextval(pg_get_serial_sequence('nas_devices', 'id'))::int as id`);
      const [row] = await tx
        .insert(nasDevices)
        .values({ id, ...fields, ...sealNasSecrets(id, { secret, apiPassword }) })
        .returning({ id: nasDevices.id });
      if (actor.resellerId !== null) {
        await tx.insert(resellerNas).values({ resellerId: actor.resellerId, nasId: row.id });
      }
      const changes: Record<string, unknown> = { ...diffNas({}, fields), secret: 'set' };
      if (apiPassword) changes.apiPassword = 'set';
      await writeAudit(tx, actor, {
        action: 'nas.create',
        entityType: 'nas',
        entityId: row.id,
        summary: `created NAS ${fields.name} (${fields.ipAddress})`,
        changes,
      });
      await afterNasSaved(tx, { nasId: row.id, apiCredentialsChanged: Boolean(fields.apiUsername && apiPassword), reason: 'create' });
      return row;
    }),
  );
}
