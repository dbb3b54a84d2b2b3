import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { startRadiusService, type RadiusService } from '@/server/radius-service/main';
import { startRouter, type SimRouter } from '../../../tools/routeros-sim/router';
import type { SimRouterConfig } from '../../../tools/routeros-sim/types';
import { seedDemoData } from './seed-demo';

/**
 * The demo as `npm start` + `npm run sim` run it: the seeded rows, the RADIUS service, and the demo fleet's routers
 * (127.0.10.1-2, on free API ports here) logging their subscribers in. Accounting, not seeding, opens the sessions.
 */
let service: RadiusService;
const routers: SimRouter[] = [];
const fleet = JSON.parse(fs.readFileSync('tools/routeros-sim/demo-fleet.json', 'utf8')) as { routers: SimRouterConfig[] };

beforeAll(async () => {
  await seedDemoData();
  // Interim updates every second instead of the plans' minute: the Access-Accept's Acct-Interim-Interval decides.
  await db().execute(sql`update plans set interim_interval_s = 1`);
  service = await startRadiusService({ addresses: ['127.0.0.1'], authPort: 0, acctPort: 0, log: () => {} });
  for (const cfg of fleet.routers.filter((r) => r.radiusClient)) {
    routers.push(
      await startRouter({
        ...cfg,
        apiPort: 0,
        apiSslPort: null,
        coa: null,
        radiusClient: { ...cfg.radiusClient!, authPort: service.ports.auth, acctPort: service.ports.acct, timeoutMs: 1000 },
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all(routers.map((r) => r.stop()));
  await service?.stop();
});

async function until<T>(read: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Open = { username: string; nas: string; ip: string; sessionid: string; out: number };
const openSessions = () =>
  db().execute<Open>(sql`select username, host(nasipaddress) as nas, host(framedipaddress) as ip, acctsessionid as sessionid,
    coalesce(acctoutputoctets, 0)::float8 as out from radacct where acctstoptime is null order by username`);

it('every demo subscriber logs in through the RADIUS service and gets an open session with its address', async () => {
  const open = await until(async () => {
    const rows = await openSessions();
    return rows.length === 5 && rows;
  });
  expect(open.map((r) => [r.username, r.nas])).toEqual([
    ['acme-corp', '127.0.10.1'],
    ['alice', '127.0.10.1'],
    ['bob', '127.0.10.1'],
    ['carol', '127.0.10.1'],
    ['dave', '127.0.10.2'],
  ]);
  const [core, edge] = routers;
  // The address each router handed out is the one accounting recorded: the plan's pool, or dave's static IP.
  for (const r of open) {
    const session = [...core.getPppActive(), ...edge.getPppActive()].find((s) => s.name === r.username)!;
    expect(r.ip).toBe(session.address);
    expect(r.sessionid).toBe(session.sessionId.slice(2).toLowerCase());
  }
  expect(open.find((r) => r.username === 'dave')!.ip).toBe('10.40.0.44');
  expect(open.find((r) => r.username === 'acme-corp')!.ip).toMatch(/^10\.20\.0\./);
  expect(core.getPppActive().find((s) => s.name === 'acme-corp')!.rateLimit).toBe('50000k/200000k');

  // Counts on the NAS list (kept by a trigger) and "last seen" (from accounting).
  await service.flush();
  const nas = await db().execute<{ ip: string; open: number; seen: boolean }>(
    sql`select host(n.ip_address) as ip, coalesce(c.open, 0) as open, n.last_seen is not null as seen
      from nas_devices n left join nas_session_counts c on c.nasipaddress = n.ip_address where n.ip_address in ('127.0.10.1', '127.0.10.2') order by 1`,
  );
  expect(nas).toEqual([
    { ip: '127.0.10.1', open: 4, seen: true },
    { ip: '127.0.10.2', open: 1, seen: true },
  ]);
});

it('interim updates move the counters, and /ppp active remove closes the session in radacct', async () => {
  const first = (await openSessions()).find((r) => r.username === 'alice')!;
  await until(async () => ((await openSessions()).find((r) => r.username === 'alice')?.out ?? 0) > first.out);
  const [core] = routers;
  core.removePppActive(core.getPppActive().find((s) => s.name === 'alice')!.id);
  const closed = await until(async () => {
    const [row] = await db().execute<{ cause: string | null }>(
      sql`select acctterminatecause as cause from radacct where acctsessionid = ${first.sessionid} and acctstoptime is not null`,
    );
    return row;
  });
  expect(closed.cause).toBe('Admin-Reset');
});
