import postgres from 'postgres';
import { env } from '@/env';
import type { Actor } from '@/server/auth/actor';
import { ADVISORY_LOCK_CLASSES } from '@/server/db/advisory-locks';
import { ConflictError } from '@/server/errors';

// One torch per router across every panel process: a session-level advisory lock (class, nas id) held for the
// torch's whole life. It lives on a connection of its own, outside the pool, so five-minute torches never
// starve the queries; PostgreSQL drops the lock with the connection if the process dies. The holder is named
// in that connection's application_name, which is how a second viewer learns who is watching.

/** Torches one process runs at once: each holds a router API connection, a database connection and a stream. */
export const MAX_TORCHES_PER_PROCESS = 16;

const APP_PREFIX = 'nas-panel torch #';
/** How long the same viewer's previous torch on the router may take to end (its /cancel is bounded by 1 s). */
const SAME_VIEWER_WAIT_MS = 3000;
let running = 0;

export interface TorchLease {
  release(): Promise<void>;
}

/** application_name is at most 63 bytes, and PostgreSQL turns anything but printable ASCII into `?`. */
function applicationName(actor: Actor): string {
  const who = (actor.name || actor.email).replace(/[^\x20-\x7e]/g, '?');
  return `${APP_PREFIX}${actor.userId} ${who}`.slice(0, 63);
}

/** Takes the router's torch lease for `actor`, or throws a ConflictError naming who holds it. */
export async function acquireTorchLease(nasId: number, nasName: string, actor: Actor): Promise<TorchLease> {
  if (running >= MAX_TORCHES_PER_PROCESS) {
    throw new ConflictError(`${MAX_TORCHES_PER_PROCESS} torches are already running on this panel: stop one, or try again later`);
  }
  running++;
  const sql = postgres(env().DATABASE_URL, {
    max: 1,
    idle_timeout: 0,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: applicationName(actor) },
  });
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    running--;
    // Closing the session is what releases the lock; a broken connection has released it already.
    await sql.end({ timeout: 2 }).catch(() => {});
  };
  try {
    const deadline = Date.now() + SAME_VIEWER_WAIT_MS;
    let holder: { userId: number; name: string } | null = null;
    for (;;) {
      const [{ ok }] = await sql<
        { ok: boolean }[]
      >`select pg_try_advisory_lock(${ADVISORY_LOCK_CLASSES.torch}::int4, ${nasId}::int4) as ok`;
      if (ok) return { release };
      holder = await torchHolder(sql, nasId);
      // A reload or "Start again" opens the new stream while the old one is still winding down (or has just
      // ended: no holder any more): wait for it, briefly.
      if ((holder && holder.userId !== actor.userId) || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const by = holder === null ? '' : holder.userId === actor.userId ? ' (by you, in another tab or window)' : ` (by ${holder.name})`;
    throw new ConflictError(`a torch is already running on ${nasName}${by}: only one runs per router at a time`);
  } catch (e) {
    await release();
    throw e;
  }
}

/** Who holds the lease, from the holding connection's application_name; null when it is gone meanwhile. */
async function torchHolder(sql: postgres.Sql, nasId: number): Promise<{ userId: number; name: string } | null> {
  const [row] = await sql<{ name: string }[]>`
    select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.objsubid = 2
      and l.classid = ${ADVISORY_LOCK_CLASSES.torch}::int4::oid and l.objid = ${nasId}::int4::oid`;
  const m = row && new RegExp(`^${APP_PREFIX.replace(/[#]/g, '\\$&')}(\\d+) (.*)$`).exec(row.name);
  return m ? { userId: Number(m[1]), name: m[2] } : null;
}
