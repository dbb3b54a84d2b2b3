import type postgres from 'postgres';
import { env } from '../../src/env';
import { heartbeatSweep } from '../../src/server/services/nas/heartbeat';
import { BENCH_API_PASSWORD, BENCH_API_USER, nasHost } from '../lib/config';
import { result, type BenchResult } from '../lib/result';
import type { SimHost } from '../lib/sim';
import { now, round, summarize } from '../lib/stats';

/**
 * Figure 5: one heartbeatSweep (the job's own function, run here with the panel's jobs off) over a
 * simulated router for every NAS of the world, every `blackHoleEvery`-th one a black hole. The world's
 * generic NAS rows become MikroTiks with API credentials for the figure and are restored after it.
 */
export async function measureHeartbeat(
  ctx: { sql: postgres.Sql; sim: SimHost; enc: (nasId: number) => { apiPassword: string }; log: (s: string) => void },
  nas: number,
  blackHoleEvery: number,
  runs: number,
): Promise<BenchResult[]> {
  const hosts = Array.from({ length: nas }, (_, i) => nasHost(i + 1));
  const black = hosts.filter((_, i) => (i + 1) % blackHoleEvery === 0);
  let t = now();
  await ctx.sim.start(
    hosts.map((host) => ({ host, apiPort: 8728, username: BENCH_API_USER, password: BENCH_API_PASSWORD, version: '7.14.3 (stable)' })),
  );
  await ctx.sim.setFault(black, 'silent');
  ctx.log(`  ${hosts.length} simulated routers up (${black.length} black holes) in ${((now() - t) / 1000).toFixed(1)} s`);
  const generic = (await ctx.sql`select id from nas_devices where id <= ${nas} and type = 'generic'`).map((r) => r.id as number);
  const converted = await ctx.sql`update nas_devices n set type = 'mikrotik', api_username = ${BENCH_API_USER}, api_password_enc = v.p
    from unnest(${generic}::int4[], ${generic.map((id) => ctx.enc(id).apiPassword)}::text[]) as v(id, p)
    where n.id = v.id returning n.id`;
  const parked = await ctx.sql`update nas_devices set is_active = false where id > ${nas} and is_active returning id`;
  try {
    const times: number[] = [];
    let last = { polled: 0, answered: 0 };
    for (let i = 0; i < runs; i++) {
      t = now();
      const r = await heartbeatSweep();
      times.push(now() - t);
      if (!r.ran) throw new Error('heartbeat did not run (its advisory lock was taken)');
      if (r.polled !== nas || r.answered !== nas - black.length)
        throw new Error(`heartbeat polled ${r.polled}, answered ${r.answered}; expected ${nas}, ${nas - black.length}`);
      last = r;
    }
    const s = summarize(times);
    const timeout = env().ROUTEROS_TIMEOUT_MS;
    ctx.log(
      `  heartbeat sweep: median ${s.p50.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (${last.polled} polled, ${last.answered} answered)`,
    );
    return [
      result({
        id: 5,
        name: `heartbeat sweep of ${nas.toLocaleString('en')} routers, ${black.length} black holes (median wall)`,
        value: round(s.p50, 0),
        unit: 'ms',
        floor: timeout,
        target: 15_000,
        pass: s.max <= 15_000,
        targetText: '≤ 15 s wall (every run)',
        floorText: 'ROUTEROS_TIMEOUT_MS: no sweep can end before a black hole’s deadline (derived, not measured)',
        detail: {
          runs,
          p50: round(s.p50, 0),
          max: round(s.max, 0),
          polled: last.polled,
          answered: last.answered,
          concurrency: env().HEARTBEAT_CONCURRENCY,
          timeoutMs: timeout,
        },
      }),
    ];
  } finally {
    await ctx.sql`update nas_devices set type = 'generic', api_username = '', api_password_enc = '' where id = any(${converted.map((r) => r.id as number)}::int4[])`;
    await ctx.sql`update nas_devices set is_active = true where id = any(${parked.map((r) => r.id as number)}::int4[])`;
    await ctx.sim.stop(hosts);
  }
}
