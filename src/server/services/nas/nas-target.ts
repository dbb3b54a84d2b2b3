import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { nasDevices } from '@/server/db/schema';
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
  ipAddress: string;
  apiHost: string;
  apiUsername: string;
  apiPassword: string;
  apiPort: number;
  apiSslPort: number;
  useSsl: boolean;
  type: string;
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
  };
}

/** The stored columns a connection is built from, typed by the schema (drizzle's query builder). */
const connectionColumns = {
  id: nasDevices.id,
  name: nasDevices.name,
  ipAddress: sql<string>`host(${nasDevices.ipAddress})`,
  type: nasDevices.type,
  secretEnc: nasDevices.secretEnc,
  authPort: nasDevices.authPort,
  acctPort: nasDevices.acctPort,
  coaPort: nasDevices.coaPort,
  apiUsername: nasDevices.apiUsername,
  apiPasswordEnc: nasDevices.apiPasswordEnc,
  apiPort: nasDevices.apiPort,
  apiSslPort: nasDevices.apiSslPort,
  useSsl: nasDevices.useSsl,
  apiHost: nasDevices.apiHost,
  tlsFingerprint: nasDevices.tlsFingerprint,
  tlsAllowAnonymous: nasDevices.tlsAllowAnonymous,
};

const selectConnectionRows = (where: SQL | undefined) => db().select(connectionColumns).from(nasDevices).where(where);
type ConnectionRow = Awaited<ReturnType<typeof selectConnectionRows>>[number];

/** Every NAS matching `where` (a condition on nas_devices), as the server talks to it. */
export async function loadNasConnections(where: SQL | undefined): Promise<NasConnection[]> {
  return (await selectConnectionRows(where)).map(toNasConnection);
}

/** One NAS in the actor's scope, or not found. */
export async function loadNasConnection(actor: Actor, id: number): Promise<NasConnection> {
  const [nas] = await loadNasConnections(and(eq(nasDevices.id, id), nasInScope(actor)));
  if (!nas) throw new NotFoundError(`NAS #${id}`);
  return nas;
}

function toNasConnection(r: ConnectionRow): NasConnection {
  const secret = readStored(r.secretEnc, nasSecretBinding(r.id));
  const apiPassword = readStored(r.apiPasswordEnc, nasApiPasswordBinding(r.id));
  return {
    id: r.id,
    name: r.name,
    ipAddress: r.ipAddress,
    type: r.type,
    secret: secret ?? '',
    unreadable: { secret: secret === null, apiPassword: apiPassword === null },
    authPort: r.authPort,
    acctPort: r.acctPort,
    coaPort: r.coaPort,
    api: apiTarget({ ...r, apiPassword: apiPassword ?? '' }),
    apiFields: {
      ipAddress: r.ipAddress,
      apiHost: r.apiHost,
      apiPort: r.apiPort,
      apiSslPort: r.apiSslPort,
      useSsl: r.useSsl,
      apiUsername: r.apiUsername,
    },
  };
}
