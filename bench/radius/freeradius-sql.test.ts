/**
 * FreeRADIUS as the bench runs it: its tables built from the world's rows in its own schema, clients read
 * from its `nas` table, PAP users from radcheck, accounting written by the stock queries into its own radacct.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFreeradiusInstalled, freeUdpPorts, startFreeradius, writeFreeradiusConfig, type RunningFreeradius } from './freeradius';
import { freeradiusSql, prepareFreeradiusData, type FreeradiusData } from './freeradius-data';
import { runLoad } from './load';
import { subscriberPassword } from './subscribers';
import { accountingWorkload, papWorkload, type NasEndpoint } from './workloads';

const SECRET = 'sql-test-secret';
const url = process.env.DATABASE_URL!;
const sql = postgres(url, { max: 2, onnotice: () => {} });
const active: NasEndpoint[] = [
  { address: '127.0.95.1', secret: SECRET, identifier: 'bng-0001' },
  { address: '127.0.95.2', secret: SECRET, identifier: 'bng-0002' },
];
const inactive: NasEndpoint = { address: '127.0.95.3', secret: SECRET, identifier: 'bng-0003' };
let dir = '';
let fr: RunningFreeradius | null = null;
let ports: number[] = [];
let data: FreeradiusData;
let publicRadacct = 0;

beforeAll(async () => {
  ensureFreeradiusInstalled();
  await sql`insert into nas_devices (name, short_name, ip_address, type, is_active)
    values ('bng-0001', 'b1', '127.0.95.1', 'generic', true), ('bng-0002', 'b2', '127.0.95.2', 'mikrotik', true),
           ('bng-0003', 'b3', '127.0.95.3', 'generic', false)`;
  // Subscribers 1-4 are active, 5 is not.
  await sql`insert into subscribers (username, is_active)
    select 'sub' || lpad(g::text, 7, '0'), g <= 4 from generate_series(1, 5) g`;
  await sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctstoptime)
    values ('a1', 'u1', 'sub0000001', '127.0.95.1', now() - interval '1 hour', null),
           ('a2', 'u2', 'sub0000002', '127.0.95.2', now() - interval '2 hours', now() - interval '1 hour')`;
  [{ n: publicRadacct }] = await sql`select count(*)::int as n from radacct`;
  data = await prepareFreeradiusData(url, { secret: SECRET });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-freeradius-sql-test-'));
  ports = await freeUdpPorts('127.0.0.1', 2);
  const raddb = writeFreeradiusConfig({
    dir,
    address: '127.0.0.1',
    authPort: ports[0],
    acctPort: ports[1],
    maxRequests: 16384,
    sql: freeradiusSql(url),
  });
  fr = await startFreeradius({ raddb, dir });
}, 300_000);

afterAll(async () => {
  await fr?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await sql.end({ timeout: 5 });
});

describe('FreeRADIUS on the bench database', () => {
  it('gets its tables from the world: active NAS with the cleartext secret, active subscribers, a copy of radacct', async () => {
    expect(data).toMatchObject({ nas: 2, radcheck: 4, radacct: 2 });
    const nas = await sql`select nasname, shortname, secret, description from freeradius.nas order by id`;
    expect(nas.map((n) => [n.nasname, n.secret, n.description])).toEqual([
      ['127.0.95.1', SECRET, 'bng-0001'],
      ['127.0.95.2', SECRET, 'bng-0002'],
    ]);
    const check = await sql`select username, attribute, op, value from freeradius.radcheck order by username`;
    expect(check).toHaveLength(4);
    for (const c of check) expect([c.attribute, c.op, c.value]).toEqual(['Cleartext-Password', ':=', subscriberPassword(c.username)]);
    // The shipped indexes are back after the bulk load.
    const idx = (await sql`select indexname from pg_indexes where schemaname = 'freeradius' and tablename in ('radacct', 'radcheck')`).map(
      (r) => r.indexname,
    );
    expect(idx).toEqual(
      expect.arrayContaining([
        'radcheck_username',
        'radacct_active_session_idx',
        'radacct_bulk_close',
        'radacct_start_user_idx',
        'radacct_acctuniqueid_key',
      ]),
    );
  });

  it('accepts active subscribers from active NAS, rejects an inactive subscriber, ignores an inactive NAS', async () => {
    const ok = await runLoad({
      host: '127.0.0.1',
      port: ports[0],
      sources: active,
      workload: papWorkload(active, { subscribers: 4 }),
      mode: { kind: 'closed', outstanding: 4 },
      durationMs: 300,
    });
    expect(ok.sent).toBeGreaterThan(10);
    expect(ok.accepts).toBe(ok.sent);
    const rejected = await runLoad({
      host: '127.0.0.1',
      port: ports[0],
      sources: active.slice(0, 1),
      // Only subscriber 5: inactive, so not in radcheck, though it sends the password it would have.
      workload: papWorkload(active, { subscribers: 1, from: 5 }),
      mode: { kind: 'closed', outstanding: 1 },
      durationMs: 10,
      timeoutMs: 3_000,
    });
    expect(rejected.rejects).toBe(rejected.sent);
    const unknown = await runLoad({
      host: '127.0.0.1',
      port: ports[0],
      sources: [inactive],
      workload: papWorkload([inactive], { subscribers: 4 }),
      mode: { kind: 'closed', outstanding: 1 },
      durationMs: 10,
      timeoutMs: 500,
    });
    expect(unknown.timeouts).toBe(unknown.sent);
  });

  it('writes accounting into its own radacct with the stock queries, committed by the time it answers', async () => {
    const r = await runLoad({
      host: '127.0.0.1',
      port: ports[1],
      sources: active,
      workload: accountingWorkload(active, { subscribers: 4, sessionsPerNas: 3, interims: 2 }),
      mode: { kind: 'closed', outstanding: 4 },
      durationMs: 500,
    });
    expect(r.responses).toBe(r.sent);
    const starts = r.byKind.start.answered;
    const stops = r.byKind.stop.answered;
    expect(stops).toBeGreaterThan(0);
    const [c] = await sql`select count(*)::int as rows, count(acctstoptime)::int as closed,
      count(*) filter (where acctterminatecause = 'User-Request')::int as user_request,
      count(*) filter (where acctinputoctets > 0 and acctoutputoctets > 4294967296)::int as gigawords
      from freeradius.radacct where acctuniqueid !~ '^u'`;
    expect(c.rows).toBe(starts);
    expect(c.closed).toBe(stops);
    expect(c.user_request).toBe(stops);
    expect(c.gigawords).toBeGreaterThan(0); // Gigawords << 32 + Octets, as queries.conf computes them
    const [{ n }] = await sql`select count(*)::int as n from radacct`;
    expect(n).toBe(publicRadacct); // ours untouched
  });
});
