import { sql } from 'drizzle-orm';
import type { SessionNasOption } from '@/server/api/outputs/sessions';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { nasInScope } from '@/server/services/nas/nas-scope';

/** The Sessions page's NAS filter: the NAS in the actor's scope, by name (a role may see sessions without nas.view). */
export async function sessionNasOptions(actor: Actor): Promise<SessionNasOption[]> {
  return db().execute<SessionNasOption>(sql`
    select n.id, n.name, host(n.ip_address) as "ipAddress" from nas_devices n
    where ${nasInScope(actor, sql`n.id`)}
    order by lower(n.name), n.id`);
}
