import type postgres from 'postgres';
import { BENCH_API_PASSWORD, BENCH_API_USER, BENCH_SECRET, FIGURE_HOSTS } from '../lib/config';
import { trpcData, trpcMutation } from '../lib/http';
import { result, type BenchResult } from '../lib/result';
import type { SimHost } from '../lib/sim';
import { now, round, summarize } from '../lib/stats';

interface Check {
  status: string;
  summary: string;
}
interface TestResult {
  radius: Check;
  api: Check;
  coa: Check;
  ready: boolean;
}

/**
 * Figure 6: the Test Connection button (nas.testConnection over HTTP, as admin) against a router whose API
 * port accepts and never answers, and against a healthy one that also answers CoA with the right secret.
 */
export async function measureTestConnection(
  ctx: {
    base: string;
    cookie: string;
    sql: postgres.Sql;
    sim: SimHost;
    enc: (nasId: number) => { secret: string; apiPassword: string };
    log: (s: string) => void;
  },
  blackRuns: number,
  healthyRuns: number,
): Promise<BenchResult[]> {
  const coaPort = 3799;
  await ctx.sim.start([
    { host: FIGURE_HOSTS.blackHole, apiPort: 8728, username: BENCH_API_USER, password: BENCH_API_PASSWORD, fault: 'silent' },
    {
      host: FIGURE_HOSTS.healthy,
      apiPort: 8728,
      username: BENCH_API_USER,
      password: BENCH_API_PASSWORD,
      version: '7.18.2 (stable)',
      radius: [{ service: 'ppp', address: '127.0.0.1', secret: BENCH_SECRET }],
      radiusIncoming: { accept: true, port: coaPort },
      coa: { port: coaPort, secret: BENCH_SECRET },
    },
  ]);
  const ids: Record<'black' | 'healthy', number> = { black: 0, healthy: 0 };
  for (const [key, host] of [
    ['black', FIGURE_HOSTS.blackHole],
    ['healthy', FIGURE_HOSTS.healthy],
  ] as const) {
    const [{ id }] = await ctx.sql`select nextval(pg_get_serial_sequence('nas_devices', 'id'))::int as id`;
    const [r] =
      await ctx.sql`insert into nas_devices (id, name, ip_address, type, secret_enc, api_username, api_password_enc, api_port, coa_port)
      values (${id}, ${`bench-test-${key}`}, ${host}, 'mikrotik', ${ctx.enc(id).secret}, ${BENCH_API_USER}, ${ctx.enc(id).apiPassword}, 8728, ${coaPort}) returning id`;
    ids[key] = r.id as number;
  }
  const run = async (id: number) => {
    const t = now();
    const r = trpcData<TestResult>('nas.testConnection', await trpcMutation(ctx.base, ctx.cookie, 'nas.testConnection', { id }, 20_000));
    return { ms: now() - t, r };
  };
  await run(ids.healthy); // warm the route
  const black: number[] = [];
  let blackApi = '';
  for (let i = 0; i < blackRuns; i++) {
    const { ms, r } = await run(ids.black);
    if (r.api.status !== 'failed') throw new Error(`black hole: API check ${r.api.status}, expected failed`);
    blackApi = r.api.summary;
    black.push(ms);
  }
  const healthy: number[] = [];
  let healthyResult: TestResult | null = null;
  for (let i = 0; i < healthyRuns; i++) {
    const { ms, r } = await run(ids.healthy);
    if (r.api.status !== 'ok' || r.coa.status !== 'ok')
      throw new Error(`healthy router: api ${r.api.status} (${r.api.summary}), coa ${r.coa.status} (${r.coa.summary})`);
    healthyResult = r;
    healthy.push(ms);
  }
  const b = summarize(black);
  const h = summarize(healthy);
  ctx.log(`  Test Connection: black hole median ${b.p50.toFixed(0)} ms, max ${b.max.toFixed(0)} ms; healthy p50 ${h.p50.toFixed(0)} ms`);
  return [
    result({
      id: 6,
      name: 'Test Connection, black-hole router (max of runs)',
      value: round(b.max, 0),
      unit: 'ms',
      target: 3500,
      pass: b.max <= 3500,
      targetText: '≤ 3.5 s',
      detail: { runs: blackRuns, p50: round(b.p50, 0), max: round(b.max, 0), api: blackApi },
    }),
    result({
      id: 6,
      name: 'Test Connection, healthy router (p50)',
      value: round(h.p50, 0),
      unit: 'ms',
      targetText: 'reported',
      detail: {
        runs: healthyRuns,
        p50: round(h.p50, 0),
        p95: round(h.p95, 0),
        radius: healthyResult?.radius.status,
        api: healthyResult?.api.status,
        coa: healthyResult?.coa.status,
      },
    }),
  ];
}
