import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createCaller } from '@/server/api/root';
import { loadActor, type Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { createNas } from '@/server/services/nas/create-nas';
import { ZCreateNasInput, type NasFormValues } from '@/lib/schemas/nas';
import type { Permission } from '@/lib/permissions';

export const uid = (p = 'x') => `${p}-${randomBytes(4).toString('hex')}`;

export async function makeRole(permissions: Permission[]): Promise<number> {
  const [r] = await db().execute<{ id: number }>(
    sql`insert into roles (name, permissions) values (${uid('role')}, ${sql.raw(`ARRAY[${permissions.map((p) => `'${p}'`).join(',')}]::text[]`)}) returning id`,
  );
  return r.id;
}

export async function makeUser(opts: { role: 'admin' | 'operator' | 'reseller' | number; resellerId?: number | null }): Promise<Actor> {
  const roleSql = typeof opts.role === 'number' ? sql`${opts.role}` : sql`(select id from roles where name = ${opts.role})`;
  const [u] = await db().execute<{ id: number }>(sql`insert into users (email, password_hash, role_id, reseller_id)
    values (${uid('user') + '@test.local'}, 'x', ${roleSql}, ${opts.resellerId ?? null}) returning id`);
  return (await loadActor(u.id))!;
}

export async function makeReseller(): Promise<number> {
  const [r] = await db().execute<{ id: number }>(sql`insert into resellers (name) values (${uid('reseller')}) returning id`);
  return r.id;
}

export async function assign(resellerId: number, nasId: number) {
  await db().execute(sql`insert into reseller_nas (reseller_id, nas_id) values (${resellerId}, ${nasId})`);
}

let ipSeq = 0;
export function nextIp() {
  ipSeq++;
  return `10.${Math.floor(ipSeq / 65536) % 256}.${Math.floor(ipSeq / 256) % 256}.${(ipSeq % 254) + 1}`;
}

export async function makeNas(actor: Actor, over: Partial<NasFormValues> = {}) {
  const input = ZCreateNasInput.parse({ name: uid('Router'), ipAddress: nextIp(), secret: 'radius-secret-value', ...over });
  const { id } = await createNas(actor, input);
  return { id, ...input };
}

export async function openSessions(nasIp: string, count: number) {
  await db().execute(sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime)
    select 's' || g, ${uid('u')} || '-' || g, 'user' || g, ${nasIp}::inet, now(), now() from generate_series(1, ${count}) g`);
}

export function callerFor(actor: Actor | null) {
  return createCaller({ actor });
}
