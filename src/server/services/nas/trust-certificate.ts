import { sql } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { ConflictError, NotFoundError } from '@/server/errors';
import { normalizeFingerprint } from '@/server/integrations/routeros';
import { writeAudit } from '@/server/services/audit/write-audit';
import { ANONYMOUS_TLS } from './nas-router-session';
import { nasInScope } from './nas-scope';

/**
 * "Trust the new certificate": the router's api-ssl presented a certificate other than the pinned one (a
 * renewal, a replaced router, or someone in the middle). The person who checked it names the fingerprint
 * they saw; only that one becomes the pin, so a certificate swapped again in between is not trusted blindly.
 * A router that dropped its certificate is trusted by allowing anonymous TLS on it.
 */
export async function trustCertificate(actor: Actor, input: { id: number; fingerprint: string }): Promise<{ id: number }> {
  return db().transaction(async (tx) => {
    const [n] = await tx.execute<{ name: string; pinned: string; seen: string }>(sql`
      select n.name, n.tls_fingerprint as pinned, n.tls_seen_fingerprint as seen from nas_devices n
      where n.id = ${input.id} and ${nasInScope(actor, sql`n.id`)} for update of n`);
    if (!n) throw new NotFoundError(`NAS #${input.id}`);
    const asked = input.fingerprint === ANONYMOUS_TLS ? ANONYMOUS_TLS : normalizeFingerprint(input.fingerprint);
    if (!n.seen) throw new ConflictError(`NAS ${n.name}'s router presents its pinned certificate: there is nothing new to trust`);
    if (asked !== n.seen)
      throw new ConflictError(
        `NAS ${n.name}'s router has presented another certificate since (${n.seen.slice(0, 11)}…): check it again before trusting it`,
      );
    const anonymous = n.seen === ANONYMOUS_TLS;
    await tx.execute(sql`update nas_devices set tls_fingerprint = ${anonymous ? '' : n.seen}, tls_seen_fingerprint = '',
      tls_allow_anonymous = tls_allow_anonymous or ${anonymous}, updated_at = now() where id = ${input.id}`);
    await writeAudit(tx, actor, {
      action: 'nas.trust_certificate',
      entityType: 'nas',
      entityId: input.id,
      summary: anonymous
        ? `trusted anonymous TLS for NAS ${n.name} (its router no longer presents a certificate)`
        : `trusted the new api-ssl certificate of NAS ${n.name}: SHA-256 ${n.seen}${n.pinned ? ` (was ${n.pinned})` : ''}`,
      changes: { tlsFingerprint: { from: n.pinned, to: anonymous ? '' : n.seen } },
    });
    return { id: input.id };
  });
}
