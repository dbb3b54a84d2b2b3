import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { seedDemoData } from './seed-demo';

it('adds demo rows once, each pointing at a router of the demo fleet', async () => {
  expect(await seedDemoData()).toMatch(/^5 NAS rows/);
  expect(await seedDemoData()).toBeNull();
  const fleet = JSON.parse(fs.readFileSync('tools/routeros-sim/demo-fleet.json', 'utf8')) as {
    routers: { host: string; password: string; coa?: { port: number; secret: string } | null }[];
  };
  const rows = await db().execute<{ ip: string; coa_port: number; api: boolean }>(
    sql`select host(ip_address) as ip, coa_port, api_username <> '' as api from nas_devices`,
  );
  for (const r of fleet.routers) {
    const row = rows.find((x) => x.ip === r.host);
    expect(row, r.host).toBeDefined();
    expect(row!.api).toBe(true);
    if (r.coa) expect(row!.coa_port).toBe(r.coa.port);
  }
  const queued = await db().execute(sql`select nas_id from nas_pool_imports where state = 'queued'`);
  expect(queued.length).toBe(4);
});
