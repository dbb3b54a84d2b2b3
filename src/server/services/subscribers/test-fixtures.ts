import { sql } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { ZCreateSubscriberInput, type SubscriberFormValues } from '@/lib/schemas/subscribers';
import { uid } from '@/test/fixtures';
import { createSubscriber } from './create-subscriber';

/** Test data for subscriber tests: rows written straight, or through the service where the rules matter. */
export async function makePlan(opts: { resellerIds?: number[]; defaultNasId?: number | null } = {}): Promise<number> {
  const [p] = await db().execute<{ id: number }>(sql`insert into plans (name, download_kbps, upload_kbps, default_nas_id)
    values (${uid('plan')}, 10000, 2000, ${opts.defaultNasId ?? null}) returning id`);
  for (const r of opts.resellerIds ?? []) await offerPlan(p.id, r);
  return p.id;
}

export async function offerPlan(planId: number, resellerId: number) {
  await db().execute(sql`insert into plan_resellers (plan_id, reseller_id) values (${planId}, ${resellerId})`);
}

export async function makeSubscriber(actor: Actor, values: Partial<SubscriberFormValues> & { nasId: number; planId: number }) {
  const input = ZCreateSubscriberInput.parse({ username: uid('sub'), password: 'sub-password-1', ...values });
  const { id } = await createSubscriber(actor, input);
  return { id, ...input };
}

/** An accounting session as the RADIUS service writes it; open unless `stoppedAt` is given. */
export async function openSession(opts: {
  username: string;
  nasIp: string;
  framedIp?: string | null;
  mac?: string | null;
  startedAt?: Date;
  stoppedAt?: Date | null;
  inputOctets?: number;
  outputOctets?: number;
  cause?: string | null;
}) {
  const started = opts.startedAt ?? new Date();
  await db().execute(sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, callingstationid,
      acctstarttime, acctupdatetime, acctstoptime, acctinputoctets, acctoutputoctets, acctterminatecause, acctsessiontime)
    values (${uid('s')}, ${uid('u')}, ${opts.username}, ${opts.nasIp}::inet, ${opts.framedIp ?? null}::inet, ${opts.mac ?? null},
      ${started.toISOString()}::timestamptz, ${started.toISOString()}::timestamptz, ${opts.stoppedAt?.toISOString() ?? null}::timestamptz, ${opts.inputOctets ?? null}, ${opts.outputOctets ?? null}, ${opts.cause ?? null},
      ${opts.stoppedAt ? Math.round((opts.stoppedAt.getTime() - started.getTime()) / 1000) : null})`);
}

export async function closeSessions(username: string) {
  await db().execute(
    sql`update radacct set acctstoptime = now(), acctterminatecause = 'User-Request' where username = ${username} and acctstoptime is null`,
  );
}

/** Addresses of an imported pool (one row per address, as the pool import writes them). */
export async function importPool(nasId: number, name: string, addresses: string[]) {
  for (const ip of addresses) {
    await db().execute(sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address) values (${nasId}, ${name}, ${ip}::inet)`);
  }
}
