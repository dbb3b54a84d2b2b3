import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { decryptSecret } from '@/server/crypto/secret-box';
import { db } from '@/server/db/client';
import { nasSecretBinding } from '@/server/services/nas/nas-secrets';
import type { SimRouterConfig } from '../../../tools/routeros-sim/types';
import { seedDemoData } from './seed-demo';

const fleet = JSON.parse(fs.readFileSync('tools/routeros-sim/demo-fleet.json', 'utf8')) as { routers: SimRouterConfig[] };

it('adds demo rows once, each pointing at a router of the demo fleet', async () => {
  expect(await seedDemoData()).toMatch(/^5 NAS rows/);
  expect(await seedDemoData()).toBeNull();
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

it("seeds the demo routers' RADIUS subscribers so they can log in: same password, their router, a plan the router can serve", async () => {
  await seedDemoData();
  const nas = await db().execute<{ id: number; ip: string; secret_enc: string; require_ma: boolean }>(
    sql`select id, host(ip_address) as ip, secret_enc, require_message_authenticator as require_ma from nas_devices`,
  );
  const subscribers = await db().execute<{
    id: number;
    username: string;
    password_enc: string;
    is_active: boolean;
    nas_id: number;
    static_ip: string | null;
    framed_pool: string;
    download_kbps: number;
  }>(sql`select s.id, s.username, s.password_enc, s.is_active, s.nas_id, host(s.static_ip) as static_ip, p.framed_pool, p.download_kbps
    from subscribers s join plans p on p.id = s.plan_id`);

  const clients = fleet.routers.filter((r) => r.radiusClient);
  expect(clients.map((r) => r.host)).toEqual(['127.0.10.1', '127.0.10.2']);
  const methods = new Set<string>();
  for (const router of clients) {
    const rc = router.radiusClient!;
    const row = nas.find((n) => n.ip === router.host)!;
    // `npm start` runs the RADIUS service on 127.0.0.1:1812/1813 (RADIUS_LISTEN, RADIUS_*_PORT defaults).
    expect([rc.server, rc.authPort ?? 1812, rc.acctPort ?? 1813]).toEqual(['127.0.0.1', 1812, 1813]);
    expect(decryptSecret(row.secret_enc, nasSecretBinding(row.id))).toBe(rc.secret);
    // RouterOS before 7.15 sends no Message-Authenticator: its NAS row must not require one.
    if (!/^7\.(1[5-9]|[2-9]\d)|^[89]\./.test(router.version ?? '')) expect(row.require_ma, router.host).toBe(false);
    for (const s of rc.subscribers) {
      methods.add(s.method);
      const sub = subscribers.find((x) => x.username === s.name);
      expect(sub, s.name).toBeDefined();
      expect(sub!.is_active).toBe(true);
      expect(sub!.nas_id).toBe(row.id);
      expect(decryptSecret(sub!.password_enc, { table: 'subscribers', column: 'password_enc', id: sub!.id })).toBe(s.password);
      // The router refuses a session whose Framed-Pool it does not have; a static IP overrides the pool.
      if (!sub!.static_ip)
        expect(
          router.pools?.map((p) => p.name),
          s.name,
        ).toContain(sub!.framed_pool);
    }
  }
  expect(methods).toEqual(new Set(['pap', 'chap', 'mschapv2']));
  expect(subscribers.map((s) => s.username).sort()).toEqual(['acme-corp', 'alice', 'bob', 'carol', 'dave']);
  expect(new Set(subscribers.map((s) => s.download_kbps))).toEqual(new Set([50_000, 200_000]));
  // Sessions come from real accounting now, not from made-up rows.
  expect(await db().execute(sql`select 1 from radacct`)).toHaveLength(0);
});
