import { sql } from 'drizzle-orm';
import { db } from '@/server/db/client';
import {
  normalizeFingerprint,
  RouterOsError,
  withRouterOs,
  type RouterOsSession,
  type RouterOsTarget,
} from '@/server/integrations/routeros';

/** What `tls_seen_fingerprint` holds when a router that had a certificate now offers anonymous TLS. */
export const ANONYMOUS_TLS = 'none';

/**
 * A session with a stored NAS's router, keeping its api-ssl pin: the first certificate seen is pinned (trust
 * on first use), and a different one is recorded for someone with nas.edit to trust from the NAS page. The
 * client refuses a mismatch before the login sends the password (integrations/routeros/tls-trust.ts).
 */
export async function withNasRouterOs<T>(nas: { id: number; api: RouterOsTarget }, fn: (s: RouterOsSession) => Promise<T>): Promise<T> {
  try {
    return await withRouterOs(nas.api, async (s) => {
      if (nas.api.tls && !nas.api.tlsPin && s.tlsFingerprint) await pinFirstCertificate(nas.id, s.tlsFingerprint);
      return fn(s);
    });
  } catch (e) {
    if (e instanceof RouterOsError && e.kind === 'certificate') {
      await db()
        .execute(sql`update nas_devices set tls_seen_fingerprint = ${e.seenFingerprint ? normalizeFingerprint(e.seenFingerprint) : ANONYMOUS_TLS}
        where id = ${nas.id}`);
    }
    throw e;
  }
}

async function pinFirstCertificate(nasId: number, fingerprint: string) {
  // Only while nothing is pinned: two first connections at once cannot pin two certificates.
  await db().execute(sql`update nas_devices set tls_fingerprint = ${normalizeFingerprint(fingerprint)}, tls_seen_fingerprint = ''
    where id = ${nasId} and tls_fingerprint = ''`);
}
