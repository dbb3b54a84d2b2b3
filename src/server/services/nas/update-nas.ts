import { eq, sql } from 'drizzle-orm';
import type { UpdateNasInput } from '@/lib/schemas/nas';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { withConstraintErrors } from '@/server/services/constraint-errors';
import { nasDevices } from '@/server/db/schema';
import { FieldError, NotFoundError } from '@/server/errors';
import {
  apiEndpoint,
  RETYPE_API_PASSWORD,
  RETYPE_SECRET,
  storedApiPasswordApplies,
  storedSecretApplies,
  type ApiEndpointFields,
} from '@/lib/stored-secrets';
import { writeAudit } from '@/server/services/audit/write-audit';
import { describeChanges, diffNas, type FieldChange } from './nas-changes';
import { afterNasSaved } from './nas-hooks';
import {
  API_PASSWORD_UNREADABLE,
  nasApiPasswordBinding,
  nasSecretBinding,
  readStored,
  SECRET_UNREADABLE,
  sealNasSecrets,
} from './nas-secrets';
import { nasInScope } from './nas-scope';

const API_ENDPOINT_FIELDS = ['apiUsername', 'apiPort', 'apiSslPort', 'useSsl', 'tlsAllowAnonymous', 'apiHost', 'ipAddress'] as const;

/** Update in one transaction: lock the row (in scope), diff, write, audit. Empty secrets keep the stored ones. */
export async function updateNas(actor: Actor, input: UpdateNasInput): Promise<{ id: number; changedFields: string[] }> {
  const { id, secret, apiPassword, clearApiPassword, ...fields } = input;
  return withConstraintErrors(input, () =>
    db().transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(nasDevices)
        .where(sql`${nasDevices.id} = ${id} and ${nasInScope(actor)}`)
        .for('update');
      if (!current) throw new NotFoundError(`NAS #${id}`);
      const before = { ...current, ipAddress: current.ipAddress.replace(/\/(32|128)$/, '') } as Record<string, unknown>;
      const changes: Record<string, FieldChange> = diffNas(before, fields);
      const patch: Partial<typeof nasDevices.$inferInsert> = { ...fields, updatedAt: new Date() };

      // A stored secret stays only while the NAS still points where it was saved (src/lib/stored-secrets.ts).
      const storedFields = { ...current, ipAddress: before.ipAddress as string };
      if (secret === '' && current.secretEnc !== '' && !storedSecretApplies(storedFields, fields)) {
        throw new FieldError('secret', RETYPE_SECRET);
      }
      if (apiPassword === '' && !clearApiPassword && current.apiPasswordEnc !== '' && !storedApiPasswordApplies(storedFields, fields)) {
        throw new FieldError('apiPassword', RETYPE_API_PASSWORD);
      }
      // Compare decrypted values so re-typing the same secret is not logged as a change; a stored value no
      // key opens any more must be replaced, not kept.
      const storedSecret = readStored(current.secretEnc, nasSecretBinding(id));
      const storedApiPassword = readStored(current.apiPasswordEnc, nasApiPasswordBinding(id));
      if (secret === '' && storedSecret === null) throw new FieldError('secret', SECRET_UNREADABLE);
      if (apiPassword === '' && !clearApiPassword && storedApiPassword === null)
        throw new FieldError('apiPassword', API_PASSWORD_UNREADABLE);
      if (secret !== '' && storedSecret !== secret) {
        Object.assign(patch, sealNasSecrets(id, { secret }));
        changes.secret = 'changed';
      }
      if (clearApiPassword && current.apiPasswordEnc !== '') {
        patch.apiPasswordEnc = '';
        changes.apiPassword = 'cleared';
      } else if (apiPassword !== '' && storedApiPassword !== apiPassword) {
        Object.assign(patch, sealNasSecrets(id, { apiPassword }));
        changes.apiPassword = 'changed';
      }

      // A certificate pin belongs to the host and port it was seen on: another endpoint is met anew.
      if (tlsEndpoint(storedFields) !== tlsEndpoint(fields) && (current.tlsFingerprint || current.tlsSeenFingerprint)) {
        patch.tlsFingerprint = '';
        patch.tlsSeenFingerprint = '';
      }
      const changedFields = Object.keys(changes);
      if (changedFields.length === 0) return { id, changedFields };
      await tx.update(nasDevices).set(patch).where(eq(nasDevices.id, id));
      await writeAudit(tx, actor, {
        action: 'nas.update',
        entityType: 'nas',
        entityId: id,
        summary: `updated NAS ${fields.name}: ${describeChanges(changes)}`,
        changes,
      });
      const hasCredentials = fields.apiUsername !== '' && (patch.apiPasswordEnc ?? current.apiPasswordEnc) !== '';
      const endpointChanged = changes.apiPassword === 'changed' || API_ENDPOINT_FIELDS.some((f) => f in changes);
      await afterNasSaved(tx, { nasId: id, apiCredentialsChanged: hasCredentials && endpointChanged, reason: 'update' });
      return { id, changedFields };
    }),
  );
}

/** Where a certificate was met: the API endpoint without its username. */
function tlsEndpoint(f: ApiEndpointFields): string {
  return apiEndpoint({ ...f, apiUsername: '' });
}
