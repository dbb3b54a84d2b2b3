import { sql } from 'drizzle-orm';
import { ZCreateNasInput } from '@/lib/schemas/nas';
import { SYSTEM_ACTOR } from '@/server/auth/actor';
import { createNas } from '@/server/services/nas/create-nas';
import { db } from '@/server/db/client';

const SECRET = 'demo-radius-secret';
const API = { apiUsername: 'panel', apiPassword: 'demo-api-pass' };

/** Mirrors tools/routeros-sim/demo-fleet.json: each row points at one simulated router. */
const DEMO_NAS = [
  {
    name: 'Core BNG (RouterOS 7.14)',
    shortName: 'core',
    ipAddress: '127.0.10.1',
    coaPort: 3799,
    ...API,
    subscriberPools: 'pppoe-main,pppoe-business',
  },
  {
    name: 'Edge (RouterOS 7.18, !empty replies)',
    shortName: 'edge',
    ipAddress: '127.0.10.2',
    coaPort: 1700,
    ...API,
    subscriberPools: 'pppoe-edge',
  },
  {
    name: 'Legacy tower (RouterOS 6.42, MD5 login)',
    shortName: 'legacy',
    ipAddress: '127.0.10.3',
    ...API,
    description: 'Pre-6.43 login; CoA not enabled on the router',
  },
  {
    name: 'Black hole (accepts, never answers)',
    shortName: 'black-hole',
    ipAddress: '127.0.10.4',
    ...API,
    description: 'Shows what Test Connection reports for a router that swallows everything',
  },
  {
    name: 'Cisco ASR (generic RADIUS)',
    shortName: 'asr',
    ipAddress: '127.0.10.5',
    type: 'generic' as const,
    description: 'No RouterOS API: only RADIUS and CoA are checked',
  },
];

/**
 * Demo rows for a first look, added once to an empty embedded database. They point at the simulated
 * routers of `npm run sim`, so every button does something real. Returns what was added, or null when the
 * database already had NAS rows.
 */
export async function seedDemoData(): Promise<string | null> {
  const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from nas_devices`);
  if (n > 0) return null;
  const ids: number[] = [];
  for (const row of DEMO_NAS) {
    ids.push((await createNas(SYSTEM_ACTOR, ZCreateNasInput.parse({ secret: SECRET, ...row }))).id);
  }
  const [reseller] = await db().execute<{ id: number }>(
    sql`insert into resellers (name, contact_email) values ('Demo Reseller', 'noc@reseller.example') on conflict (name) do update set name = excluded.name returning id`,
  );
  await db().execute(sql`insert into reseller_nas (reseller_id, nas_id) values (${reseller.id}, ${ids[1]}) on conflict do nothing`);
  // The core router's simulated PPP sessions, as FreeRADIUS would have recorded them.
  const sessions = [
    ['alice', '10.10.0.17'],
    ['bob', '10.10.1.3'],
    ['carol', '10.10.2.250'],
    ['acme-corp', '10.20.0.9'],
  ];
  for (const [user, ip] of sessions) {
    await db().execute(
      sql`insert into subscribers (username, nas_id, reseller_id) values (${user}, ${ids[0]}, null) on conflict do nothing`,
    );
    await db()
      .execute(sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, acctstarttime, acctupdatetime)
      values (${'demo-' + user}, ${'demo-' + user}, ${user}, '127.0.10.1', ${ip}::inet, now() - interval '3 hours', now()) on conflict do nothing`);
  }
  await db().execute(
    sql`insert into subscribers (username, nas_id, reseller_id) values ('dave', ${ids[1]}, ${reseller.id}) on conflict do nothing`,
  );
  return `${DEMO_NAS.length} NAS rows, 1 reseller, ${sessions.length + 1} subscribers`;
}
