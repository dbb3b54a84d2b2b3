import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { nasInScope } from '@/server/services/nas/nas-scope';

/** The addresses of the NAS in the actor's scope (radacct names its NAS by address, not by id). */
export function nasAddressesInScope(actor: Actor): SQL {
  return sql`select sn.ip_address from nas_devices sn where ${nasInScope(actor, sql`sn.id`)}`;
}

/**
 * The reseller guard for sessions, part of the statement that reads or writes the radacct row: a session is in
 * scope when its NAS is. `nas.all` sees every session, also one from an address that is no NAS row any more (it
 * may still need closing); anyone else only those of NAS in their scope, and none without a reseller.
 */
export function sessionInScope(actor: Actor, nasIpColumn: SQL = sql`radacct.nasipaddress`): SQL {
  if (actor.permissions.has('nas.all')) return sql`true`;
  return sql`${nasIpColumn} in (${nasAddressesInScope(actor)})`;
}
