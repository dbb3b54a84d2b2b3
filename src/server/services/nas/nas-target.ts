import { sql } from 'drizzle-orm';
import { env } from '@/env';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { NotFoundError } from '@/server/errors';
import type { ApiEndpointFields } from '@/lib/stored-secrets';
import type { RouterOsTarget } from '@/server/integrations/routeros';
import { nasInScope } from './nas-scope';
import { nasApiPasswordBinding, nasSecretBinding, readStored } from './nas-secrets';

/**
 * A NAS as the server talks to it, secrets decrypted. Server-only: never returned from a procedure.
 */
export interface NasConnection {
  id: number;
  name: string;
  ipAddress: string;
  type: 'mikrotik' | 'generic';
  secret: string;
  authPort: number;
  acctPort: number;
  coaPort: number;
  /** Null without API credentials, or when the stored password is unreadable (see `unreadable`). */
  api: RouterOsTarget | null;
  /** Stored secrets no configured key opens any more: they must be set anew. */
  unreadable: { secret: boolean; apiPassword: boolean };
  /** The stored API settings as typed, to tell whether new values still point where the password was saved. */
  apiFields: ApiEndpointFields;
}

export function apiTarget(n: {
  ipAddress: string; apiHost: string; apiUsername: string; apiPassword: string; apiPort: number; apiSslPort: number; useSsl: boolean; type: string;
  /** The pinned api-ssl certificate ('' = none yet: trust on first use). */
  tlsFingerprint?: string;
  tlsAllowAnonymous?: boolean;
}): RouterOsTarget | null {
  if (n.type !== 'mikrotik' || !n.apiUsername || !n.apiPassword) return null;
  return {
    host: n.apiHost || n.ipAddress,
    port: n.useSsl ? n.apiSslPort : n.apiPort,
    tls: n.useSsl,
    tlsPin: n.tlsFingerprint ?? '',
    tlsAllowAnonymous: n.tlsAllowAnonymous ?? false,
    username: n.apiUsername,
    password: n.apiPassword,
    timeoutMs: env().ROUTEROS_TIMEOUT_MS,
  };
}

export async function loadNasConnection(actor: Actor, id: number): Promise<NasConnection> {
  const [r] = await db().execute<{
    id: number; name: string; ip: string; type: 'mikrotik' | 'generic'; secret_enc: string; auth_port: number; acct_port: number;
    coa_port: number; api_username: string; api_password_enc: string; api_port: number; api_ssl_port: number; use_ssl: boolean; api_host: string;
    tls_fingerprint: string; tls_allow_anonymous: boolean;
  }>(sql`select id, name, host(ip_address) as ip, type, secret_enc, auth_port, acct_port, coa_port, api_username, api_password_enc,
              api_port, api_ssl_port, use_ssl, api_host, tls_fingerprint, tls_allow_anonymous
         from nas_devices n where n.id = ${id} and ${nasInScope(actor, sql`n.id`)}`);
  if (!r) throw new NotFoundError(`NAS #${id}`);
  const secret = readStored(r.secret_enc, nasSecretBinding(r.id));
  const apiPassword = readStored(r.api_password_enc, nasApiPasswordBinding(r.id));
  return {
    id: r.id,
    name: r.name,
    ipAddress: r.ip,
    type: r.type,
    secret: secret ?? '',
    unreadable: { secret: secret === null, apiPassword: apiPassword === null },
    authPort: r.auth_port,
    acctPort: r.acct_port,
    coaPort: r.coa_port,
    api: apiTarget({
      ipAddress: r.ip, apiHost: r.api_host, apiUsername: r.api_username, apiPassword: apiPassword ?? '',
      apiPort: r.api_port, apiSslPort: r.api_ssl_port, useSsl: r.use_ssl, type: r.type,
      tlsFingerprint: r.tls_fingerprint, tlsAllowAnonymous: r.tls_allow_anonymous,
    }),
    apiFields: { ipAddress: r.ip, apiHost: r.api_host, apiPort: r.api_port, apiSslPort: r.api_ssl_port, useSsl: r.use_ssl, apiUsername: r.api_username },
  };
}
