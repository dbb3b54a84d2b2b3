import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql as dsql } from 'drizzle-orm';
import type postgres from 'postgres';
import { expandPoolRangesToUint32, formatIpv4 } from '../../src/lib/ip-range';
import { db } from '../../src/server/db/client';
import { queuePoolImport } from '../../src/server/services/pools/pool-import-queue';
import { drainPoolImports } from '../../src/server/jobs/pool-import';
import { BENCH_API_PASSWORD, BENCH_API_USER, FIGURE_HOSTS } from '../lib/config';
import { result, type BenchResult } from '../lib/result';
import type { SimHost } from '../lib/sim';
import { now, round, summarize } from '../lib/stats';

const POOL = { name: 'big', ranges: '10.64.0.0/16' };
const SIZE = 65_536;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export interface PoolContext {
  sql: postgres.Sql;
  sim: SimHost;
  enc: (nasId: number) => { secret: string; apiPassword: string };
  log: (s: string) => void;
}

export interface PoolNas {
  importId: number;
  floorId: number;
}

/** A MikroTik on 127.0.104.1 with one /16 pool, and a second NAS row the floor inserts into. */
export async function setupPoolNas(ctx: PoolContext): Promise<PoolNas> {
  await ctx.sim.start([
    {
      host: FIGURE_HOSTS.import,
      apiPort: 8728,
      username: BENCH_API_USER,
      password: BENCH_API_PASSWORD,
      version: '7.14.3 (stable)',
      pools: [POOL],
    },
  ]);
  const [{ a, b }] =
    await ctx.sql`select nextval(pg_get_serial_sequence('nas_devices', 'id'))::int as a, nextval(pg_get_serial_sequence('nas_devices', 'id'))::int as b`;
  const [imp] = await ctx.sql`insert into nas_devices (id, name, ip_address, type, secret_enc, api_username, api_password_enc, api_port)
    values (${a}, 'bench-import', ${FIGURE_HOSTS.import}, 'mikrotik', ${ctx.enc(a).secret}, ${BENCH_API_USER}, ${ctx.enc(a).apiPassword}, 8728) returning id`;
  const [floor] = await ctx.sql`insert into nas_devices (id, name, ip_address, type, secret_enc, is_active)
    values (${b}, 'bench-floor', '127.0.104.250', 'generic', ${ctx.enc(b).secret}, false) returning id`;
  return { importId: imp.id as number, floorId: floor.id as number };
}

/** Resident set size now, and the peak since `resetPeak` (VmHWM; Linux resets it on `5 > clear_refs`). */
function rssNow(): number {
  return process.memoryUsage().rss;
}
function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
function peakRss(): number | null {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : null;
}

async function queuedToDone(nasId: number, reason: 'create' | 'sync') {
  const t = now();
  await queuePoolImport(db(), nasId, reason);
  const ran = await drainPoolImports({ max: 1, concurrency: 1, log: () => {} });
  const ms = now() - t;
  const [s] = await db().execute<{ state: string; error: string; summary: Record<string, number> | null }>(
    dsql`select state, error, summary from nas_pool_imports where nas_id = ${nasId}`,
  );
  if (ran !== 1 || s?.state !== 'done') throw new Error(`pool import of NAS #${nasId} ended ${s?.state ?? 'nowhere'}: ${s?.error ?? ''}`);
  return { ms, summary: s.summary ?? {} };
}

/**
 * Figure 3: a /16 from a simulated router, queued to done through the real queue and worker function,
 * into an empty NAS of a table holding the world's pool assignments; beside one bulk INSERT … SELECT
 * unnest() of the same 65,536 addresses. Each run starts from the same state (rows deleted, vacuumed).
 */
export async function measureImport(ctx: PoolContext, nas: PoolNas, runs: number): Promise<BenchResult[]> {
  const addrs = Array.from(expandPoolRangesToUint32(POOL.ranges));
  const times: number[] = [];
  const floors: number[] = [];
  const growth: number[] = [];
  let peakMethod = 'VmHWM';
  for (let i = 0; i < runs; i++) {
    await ctx.sql`delete from ip_pool_assignments where nas_id in (${nas.importId}, ${nas.floorId})`;
    await ctx.sql.unsafe('vacuum ip_pool_assignments');
    gc();
    const before = rssNow();
    let sampled = before;
    const hwm = resetPeak();
    if (!hwm) peakMethod = 'sampled every 5 ms';
    const sampler = setInterval(() => (sampled = Math.max(sampled, rssNow())), 5);
    const r = await queuedToDone(nas.importId, 'create');
    clearInterval(sampler);
    sampled = Math.max(sampled, rssNow());
    const peak = hwm ? Math.max(peakRss() ?? 0, sampled) : sampled;
    times.push(r.ms);
    growth.push((peak - before) / 1024 / 1024);
    if (r.summary.addresses !== SIZE || r.summary.added !== SIZE)
      throw new Error(`import summary ${JSON.stringify(r.summary)}, expected ${SIZE} added`);

    const t = now();
    await ctx.sql.unsafe(
      `insert into ip_pool_assignments (nas_id, pool_name, ip_address, status, updated_at)
       select $1, 'big', '0.0.0.0'::inet + n, 'available', now() from unnest($2::int8[]) n`,
      [nas.floorId, `{${addrs.join(',')}}`],
    );
    floors.push(now() - t);
  }
  const s = summarize(times);
  const f = summarize(floors);
  const g = summarize(growth);
  ctx.log(
    `  /16 import queued→done: median ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms; floor median ${f.p50.toFixed(0)} ms; peak RSS growth median ${g.p50.toFixed(1)} MB, max ${g.max.toFixed(1)} MB`,
  );
  return [
    result({
      id: 3,
      name: 'pool import of a /16, queued → done (median)',
      value: round(s.p50, 0),
      unit: 'ms',
      floor: round(f.p50, 0),
      target: 2000,
      pass: s.p50 <= 2000 && s.p50 <= 3 * f.p50,
      targetText: '≤ 2 s and ≤ 3× floor',
      floorText: 'one INSERT … SELECT unnest() of the same 65,536 addresses',
      detail: {
        runs,
        p50: round(s.p50, 0),
        p95: round(s.p95, 0),
        max: round(s.max, 0),
        floorP50: round(f.p50, 0),
        floorP95: round(f.p95, 0),
        addresses: SIZE,
      },
    }),
    result({
      id: 3,
      name: 'pool import of a /16: peak RSS growth (max of runs)',
      value: round(g.max, 1),
      unit: 'MB',
      target: 150,
      pass: g.max <= 150,
      targetText: '≤ 150 MB',
      detail: {
        runs,
        median: round(g.p50, 1),
        method: `${peakMethod} of the process running the worker, minus its RSS before (after a GC)`,
      },
    }),
  ];
}

/**
 * Figure 4: Sync of that /16 while the router reports 20,000 /ppp active sessions and 20,000 open radacct
 * rows hold addresses (10,000 of them the same), queued to done. Each run starts with every address
 * available, so every run marks 30,000 addresses in use. The floor is the one UPDATE that marks them.
 */
export async function measureSync(ctx: PoolContext, nas: PoolNas, sessions: number, runs: number): Promise<BenchResult[]> {
  const base = 10 * 2 ** 24 + 64 * 2 ** 16; // 10.64.0.0
  const ppp = Array.from({ length: sessions }, (_, i) => ({ name: `sess${i + 1}`, address: formatIpv4(base + 1 + i) }));
  await ctx.sim.setPppActive(FIGURE_HOSTS.import, ppp);
  const offset = Math.floor(sessions / 2);
  await ctx.sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, framedipaddress)
    select to_hex(g), 'sync-' || g, 'sync' || g, ${FIGURE_HOSTS.import}::inet, now(), now(), '10.64.0.0'::inet + (${offset}::int + g)
    from generate_series(1, ${sessions}::int) g`;
  const inUse = offset + sessions;
  const inUseAddrs = Array.from({ length: inUse }, (_, i) => formatIpv4(base + 1 + i));
  const reset = async () => {
    await ctx.sql`update ip_pool_assignments set status = 'available' where nas_id = ${nas.importId} and status <> 'available'`;
    await ctx.sql.unsafe('vacuum ip_pool_assignments');
  };
  const times: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < runs; i++) {
    await reset();
    const r = await queuedToDone(nas.importId, 'sync');
    times.push(r.ms);
    if (r.summary.inUse !== inUse || r.summary.pppActive !== sessions)
      throw new Error(`sync summary ${JSON.stringify(r.summary)}, expected ${inUse} in use`);
    await reset();
    const t = now();
    await ctx.sql.unsafe(
      `update ip_pool_assignments set status = 'in_use', updated_at = now() where nas_id = $1 and ip_address = any($2::inet[])`,
      [nas.importId, `{${inUseAddrs.join(',')}}`],
    );
    floors.push(now() - t);
  }
  const s = summarize(times);
  const f = summarize(floors);
  ctx.log(
    `  sync of the /16 with ${sessions} ppp + ${sessions} radacct: median ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms; floor median ${f.p50.toFixed(0)} ms`,
  );
  return [
    result({
      id: 4,
      name: `Sync of the /16 with ${sessions.toLocaleString('en')} ppp active + ${sessions.toLocaleString('en')} open radacct (median)`,
      value: round(s.p50, 0),
      unit: 'ms',
      floor: round(f.p50, 0),
      target: 3000,
      pass: s.p50 <= 3000,
      targetText: '≤ 3 s',
      floorText: `one UPDATE marking the ${inUse.toLocaleString('en')} used addresses`,
      detail: { runs, p50: round(s.p50, 0), p95: round(s.p95, 0), max: round(s.max, 0), floorP50: round(f.p50, 0), inUse },
    }),
  ];
}

/**
 * Figure 3, continued: a router announcing 1,000 /16 pools (65.5 million addresses). The import must fail with a
 * reason a network engineer can act on, quickly, and without the panel's memory following the router: the
 * sizes are counted from the ranges and the import refused before one address is expanded.
 */
export async function measureOversizeImport(ctx: PoolContext, runs: number): Promise<BenchResult[]> {
  const pools = Array.from({ length: 1000 }, (_, i) => ({ name: `cgnat-${i}`, ranges: `${10 + Math.floor(i / 256)}.${i % 256}.0.0/16` }));
  await ctx.sim.start([
    {
      host: FIGURE_HOSTS.oversize,
      apiPort: 8728,
      username: BENCH_API_USER,
      password: BENCH_API_PASSWORD,
      version: '7.14.3 (stable)',
      pools,
    },
  ]);
  const [{ id }] = await ctx.sql`select nextval(pg_get_serial_sequence('nas_devices', 'id'))::int as id`;
  await ctx.sql`insert into nas_devices (id, name, ip_address, type, secret_enc, api_username, api_password_enc, api_port)
    values (${id}, 'bench-oversize', ${FIGURE_HOSTS.oversize}, 'mikrotik', ${ctx.enc(id).secret}, ${BENCH_API_USER}, ${ctx.enc(id).apiPassword}, 8728)`;
  const times: number[] = [];
  const growth: number[] = [];
  let reason = '';
  for (let i = 0; i < runs; i++) {
    gc();
    const before = rssNow();
    const hwm = resetPeak();
    let sampled = before;
    const sampler = setInterval(() => (sampled = Math.max(sampled, rssNow())), 5);
    const t = now();
    await queuePoolImport(db(), id, 'sync');
    await drainPoolImports({ max: 1, concurrency: 1, log: () => {} });
    times.push(now() - t);
    clearInterval(sampler);
    const peak = hwm ? Math.max(peakRss() ?? 0, sampled) : Math.max(sampled, rssNow());
    growth.push((peak - before) / 1024 / 1024);
    const [s] = await db().execute<{ state: string; error: string }>(dsql`select state, error from nas_pool_imports where nas_id = ${id}`);
    if (s?.state !== 'failed') throw new Error(`an import of 1,000 /16 pools ended ${s?.state}: it must be refused`);
    reason = s.error;
  }
  const clear = /POOL_IMPORT_MAX_TOTAL/.test(reason) && /65,536,000 addresses/.test(reason);
  const t = summarize(times);
  const g = summarize(growth);
  ctx.log(`  1,000 /16 pools: refused in median ${t.p50.toFixed(0)} ms, peak RSS growth max ${g.max.toFixed(1)} MB: "${reason}"`);
  return [
    result({
      id: 3,
      name: 'router announcing 1,000 /16 pools: refused (median time)',
      value: round(t.p50, 0),
      unit: 'ms',
      target: 2000,
      pass: clear && t.p50 <= 2000,
      targetText: '≤ 2 s, with a reason naming the size and the limit',
      detail: { runs, p50: round(t.p50, 0), max: round(t.max, 0), reason },
    }),
    result({
      id: 3,
      name: 'router announcing 1,000 /16 pools: peak RSS growth (max of runs)',
      value: round(g.max, 1),
      unit: 'MB',
      target: 20,
      pass: g.max <= 20,
      targetText: '≤ 20 MB (flat: nothing is expanded)',
      detail: { runs, median: round(g.p50, 1) },
    }),
  ];
}
