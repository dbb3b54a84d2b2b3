import { sql } from 'drizzle-orm';
import type { TorchInterfaceInput } from '@/lib/schemas/torch';
import type { Permission } from '@/lib/permissions';
import type { TorchStopCause } from '@/server/api/outputs/torch';
import { loadActor, type Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { ConflictError, NotFoundError } from '@/server/errors';
import { findPppInterface, type RouterOsSession, type RouterOsTarget, type TorchQuery } from '@/server/integrations/routeros';
import { nasInScope } from '@/server/services/nas/nas-scope';
import { API_PASSWORD_UNREADABLE } from '@/server/services/nas/nas-secrets';
import { loadNasConnection } from '@/server/services/nas/nas-target';

/** What is torched and how to find it on the router, resolved in the actor's scope. */
export interface TorchTarget {
  nas: { id: number; name: string; api: RouterOsTarget };
  /** What the torch watches, found on the router (a session's interface exists only while it is up). */
  locate(s: RouterOsSession): Promise<TorchQuery>;
  /** Asked again every few seconds: null while the actor may still watch, else why not any more. */
  recheck(): Promise<{ cause: TorchStopCause; reason: string } | null>;
}

/** The router ran the query but the thing to watch is not there (the session ended a moment ago). */
export class TorchTargetGone extends Error {}

export const TORCH_PERMISSIONS = {
  // Watching a session's traffic is part of seeing sessions (the permission's own description says so).
  session: 'sessions.view',
  // Any interface is another matter: an uplink shows every subscriber's traffic, and torch costs the router
  // CPU (it turns fasttrack off while it runs): a diagnostic, like ping through the router.
  interface: 'nas.diagnose',
} as const satisfies Record<string, Permission>;

interface SessionRow extends Record<string, unknown> {
  username: string | null;
  framed_ip: string | null;
  nasportid: string | null;
  nas_id: number;
}

/** The open session and its NAS, the reseller scope in the same statement: another reseller's is not found. */
async function readOpenSession(actor: Actor, id: number): Promise<SessionRow | undefined> {
  const [row] = await db().execute<SessionRow>(sql`
    select r.username, host(r.framedipaddress) as framed_ip, r.nasportid, n.id as nas_id
    from radacct r join nas_devices n on n.ip_address = r.nasipaddress
    where r.radacctid = ${id} and r.acctstoptime is null and ${nasInScope(actor, sql`n.id`)}`);
  return row;
}

async function apiOf(actor: Actor, nasId: number): Promise<TorchTarget['nas']> {
  const nas = await loadNasConnection(actor, nasId);
  if (nas.unreadable.apiPassword) throw new ConflictError(`NAS ${nas.name}: ${API_PASSWORD_UNREADABLE}`);
  if (!nas.api) throw new ConflictError(`NAS ${nas.name} has no MikroTik API credentials: torch runs on the router through its API`);
  return { id: nas.id, name: nas.name, api: nas.api };
}

/** The actor as it is now (role, reseller, deactivation), or null when it may not act any more. */
async function currentActor(actor: Actor, permission: Permission): Promise<Actor | null> {
  const now = await loadActor(actor.userId);
  return now && now.permissions.has(permission) ? now : null;
}

export async function sessionTorchTarget(actor: Actor, sessionId: number): Promise<TorchTarget> {
  const row = await readOpenSession(actor, sessionId);
  if (!row?.username) throw new NotFoundError(`open session #${sessionId}`);
  const nas = await apiOf(actor, row.nas_id);
  const user = row.username;
  return {
    nas,
    locate: async (s) => {
      // A PPP session has an interface of its own, named after its service: everything on it is the subscriber's.
      const ppp = await findPppInterface(s, user);
      if (ppp) return { interface: ppp.interface };
      // Anything else (hotspot, IPoE) shares its port: narrow the torch to the session's address.
      if (row.framed_ip && row.nasportid) return { interface: row.nasportid, srcAddress: `${row.framed_ip}/32` };
      throw new TorchTargetGone(`${user} has no active PPP session on ${nas.name} (did the session just end?)`);
    },
    recheck: async () => {
      const now = await currentActor(actor, TORCH_PERMISSIONS.session);
      if (!now) return { cause: 'scope', reason: 'Stopped: you no longer have access to this session.' };
      const still = await readOpenSession(now, sessionId);
      if (still) return null;
      // Gone from the scope or closed: tell which only when the session is still visible at all.
      const [closed] = await db().execute(sql`select 1 from radacct r join nas_devices n on n.ip_address = r.nasipaddress
        where r.radacctid = ${sessionId} and ${nasInScope(now, sql`n.id`)}`);
      return closed
        ? { cause: 'session-ended', reason: 'Stopped: the session ended.' }
        : { cause: 'scope', reason: 'Stopped: you no longer have access to this session.' };
    },
  };
}

export async function interfaceTorchTarget(actor: Actor, input: TorchInterfaceInput): Promise<TorchTarget> {
  const nas = await apiOf(actor, input.id);
  return {
    nas,
    locate: async () => ({ interface: input.interface, srcAddress: input.srcAddress, dstAddress: input.dstAddress }),
    recheck: async () => {
      const now = await currentActor(actor, TORCH_PERMISSIONS.interface);
      const [inScope] = now
        ? await db().execute(sql`select 1 from nas_devices where id = ${input.id} and ${nasInScope(now, sql`nas_devices.id`)}`)
        : [];
      return inScope ? null : { cause: 'scope', reason: 'Stopped: you no longer have access to this NAS.' };
    },
  };
}
