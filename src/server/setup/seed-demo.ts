import { sql } from 'drizzle-orm';
import { ZCreateNasInput } from '@/lib/schemas/nas';
import { SYSTEM_ACTOR } from '@/server/auth/actor';
import { encryptSecret } from '@/server/crypto/secret-box';
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
    // RouterOS 7.14 sends no Message-Authenticator (7.15 does): requiring it would drop every login.
    requireMessageAuthenticator: false,
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
    requireMessageAuthenticator: false,
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

/** What the demo routers' subscribers get; Framed-Pool names a pool of the core router. */
const DEMO_PLANS = [
  { name: 'Home 50M', downloadKbps: 50_000, uploadKbps: 10_000, framedPool: 'pppoe-main', filterId: '', interimIntervalS: 60 },
  {
    name: 'Business 200M',
    downloadKbps: 200_000,
    uploadKbps: 50_000,
    framedPool: 'pppoe-business',
    // The policy a generic BNG applies; MikroTik routers get the rate limit instead.
    filterId: 'business-200m',
    interimIntervalS: 120,
  },
] as const;

/**
 * The subscribers of the demo routers' RADIUS clients (tools/routeros-sim/demo-fleet.json: same names and
 * passwords), so `npm run sim` logs them in through our RADIUS service. dave's static IP overrides the plan's
 * pool, which his edge router does not have.
 */
const DEMO_SUBSCRIBERS = [
  { username: 'alice', password: 'alice-demo-pass', nas: 'core', plan: 'Home 50M' },
  { username: 'bob', password: 'bob-demo-pass', nas: 'core', plan: 'Home 50M' },
  { username: 'carol', password: 'carol-demo-pass', nas: 'core', plan: 'Home 50M' },
  { username: 'acme-corp', password: 'acme-demo-pass', nas: 'core', plan: 'Business 200M' },
  { username: 'dave', password: 'dave-demo-pass', nas: 'edge', plan: 'Home 50M', staticIp: '10.40.0.44', reseller: true },
] as const;

/**
 * Demo rows for a first look, added once to an empty embedded database. They point at the simulated
 * routers of `npm run sim`, so every button does something real, and the routers' subscribers log in through
 * the RADIUS service: sessions, counts and "last seen" come from real accounting. Returns what was added, or
 * null when the database already had NAS rows.
 */
export async function seedDemoData(): Promise<string | null> {
  const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from nas_devices`);
  if (n > 0) return null;
  const nasIds = new Map<string, number>();
  for (const row of DEMO_NAS) {
    nasIds.set(row.shortName, (await createNas(SYSTEM_ACTOR, ZCreateNasInput.parse({ secret: SECRET, ...row }))).id);
  }
  const [reseller] = await db().execute<{ id: number }>(
    sql`insert into resellers (name, contact_email) values ('Demo Reseller', 'noc@reseller.example') on conflict (name) do update set name = excluded.name returning id`,
  );
  await db().execute(
    sql`insert into reseller_nas (reseller_id, nas_id) values (${reseller.id}, ${nasIds.get('edge')!}) on conflict do nothing`,
  );

  await db().transaction(async (tx) => {
    const planIds = new Map<string, number>();
    for (const p of DEMO_PLANS) {
      const [row] = await tx.execute<{
        id: number;
      }>(sql`insert into plans (name, download_kbps, upload_kbps, framed_pool, filter_id, interim_interval_s)
        values (${p.name}, ${p.downloadKbps}, ${p.uploadKbps}, ${p.framedPool}, ${p.filterId}, ${p.interimIntervalS})
        on conflict (name) do update set name = excluded.name returning id`);
      planIds.set(p.name, row.id);
    }
    for (const s of DEMO_SUBSCRIBERS) {
      // The id first: the password's ciphertext is bound to its row.
      const [{ id }] = await tx.execute<{ id: number }>(sql`select nextval(pg_get_serial_sequence('subscribers', 'id'))::int as id`);
      const passwordEnc = encryptSecret(s.password, { table: 'subscribers', column: 'password_enc', id });
      await tx.execute(sql`insert into subscribers (id, username, password_enc, nas_id, plan_id, static_ip, reseller_id)
        values (${id}, ${s.username}, ${passwordEnc}, ${nasIds.get(s.nas)!}, ${planIds.get(s.plan)!},
          ${'staticIp' in s ? s.staticIp : null}::inet, ${'reseller' in s ? reseller.id : null})
        on conflict (username) do nothing`);
    }
  });
  return `${DEMO_NAS.length} NAS rows, 1 reseller, ${DEMO_PLANS.length} plans, ${DEMO_SUBSCRIBERS.length} subscribers`;
}
