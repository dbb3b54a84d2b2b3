import { sql } from 'drizzle-orm';
import type { SessionDetail } from '@/server/api/outputs/sessions';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { NotFoundError } from '@/server/errors';
import { SESSION_VIEW_COLUMNS, sessionViewJoins, toSessionDetail, type SessionViewRow } from './session-read-model';
import { sessionInScope } from './session-scope';

/** One session, open or closed, the scope in the same statement: another reseller's session is "not found". */
export async function getSession(actor: Actor, id: number): Promise<SessionDetail> {
  const [row] = await db().execute<SessionViewRow>(sql`
    select ${SESSION_VIEW_COLUMNS}
    from radacct r
    ${sessionViewJoins(actor)}
    where r.radacctid = ${id} and ${sessionInScope(actor, sql`r.nasipaddress`)}`);
  if (!row) throw new NotFoundError(`session #${id}`);
  return toSessionDetail(row);
}
