import type postgres from 'postgres';
import type { Actor } from '../../src/server/auth/actor';
import { listNas } from '../../src/server/services/nas/list-nas';
import { ZListNasInput } from '../../src/lib/schemas/nas';
import type { CapturedQuery } from '../lib/capture';
import { trpcData, trpcQuery } from '../lib/http';
import { result, type BenchResult } from '../lib/result';
import { now, round, summarize } from '../lib/stats';

const WARM_UP_CALLS = 100;

export interface ListCase {
  name: string;
  who: 'admin' | 'reseller';
  input: { search: string; status: 'all'; limit: number; offset: number };
  /** Pages get the 50 ms target; the whole list only the ratio to its floor. */
  page: boolean;
}

export interface ListContext {
  base: string;
  cookies: Record<'admin' | 'reseller', string>;
  actors: Record<'admin' | 'reseller', Actor>;
  sql: postgres.Sql;
  capture: (fn: () => Promise<unknown>) => Promise<CapturedQuery[]>;
  log: (s: string) => void;
}

export function listCases(nas: number): ListCase[] {
  return [
    { name: 'admin, first page (50)', who: 'admin', input: { search: '', status: 'all', limit: 50, offset: 0 }, page: true },
    {
      name: `admin, whole list (${Math.min(nas, 1000)})`,
      who: 'admin',
      input: { search: '', status: 'all', limit: 1000, offset: 0 },
      page: false,
    },
    { name: 'reseller, first page (own 20 NAS)', who: 'reseller', input: { search: '', status: 'all', limit: 50, offset: 0 }, page: true },
  ];
}

/**
 * Figure 1: `nas.list` over HTTP (session cookie, JSON input, the real route handler) beside the same
 * SQL statement run directly with postgres.js. Calls alternate HTTP / floor, so a burst of load from
 * elsewhere on the machine hits both alike.
 */
export async function measureList(ctx: ListContext, calls: number, nas: number, state = ''): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const c of listCases(nas)) {
    ZListNasInput.parse(c.input);
    const [stmt] = await ctx.capture(() => listNas(ctx.actors[c.who], ZListNasInput.parse(c.input)));
    if (!stmt) throw new Error('could not capture the list statement');
    const floorOnce = () => ctx.sql.unsafe(stmt.query, stmt.params as postgres.ParameterOrJSON<never>[]);
    const first = trpcData<{ items: unknown[]; total: number }>(
      'nas.list',
      await trpcQuery(ctx.base, ctx.cookies[c.who], 'nas.list', c.input),
    );
    const floorRows = await floorOnce();
    if (first.items.length !== floorRows.length)
      throw new Error(`${c.name}: HTTP returned ${first.items.length} rows, the floor ${floorRows.length}`);
    // Steady state: a panel that has just started is still compiling its hot paths (the first calls after
    // a start are figure 8's business). 100 calls brought the 401 call from about 1.7 to 1.1 ms p50.
    for (let i = 0; i < WARM_UP_CALLS; i++) {
      await trpcQuery(ctx.base, ctx.cookies[c.who], 'nas.list', c.input);
      await floorOnce();
    }
    const http: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < calls; i++) {
      let t = now();
      const res = await trpcQuery(ctx.base, ctx.cookies[c.who], 'nas.list', c.input);
      http.push(now() - t);
      if (res.status !== 200) throw new Error(`${c.name}: nas.list answered ${res.status}`);
      t = now();
      await floorOnce();
      floor.push(now() - t);
    }
    const h = summarize(http);
    const f = summarize(floor);
    const within3x = h.p95 <= 3 * f.p95;
    out.push(
      result({
        id: 1,
        name: `nas.list ${c.name}${state}: p95`,
        value: round(h.p95, 2),
        unit: 'ms',
        floor: round(f.p95, 2),
        target: c.page ? 50 : null,
        pass: c.page ? h.p95 <= 50 && within3x : within3x,
        targetText: c.page ? 'p95 ≤ 50 ms and ≤ 3× floor' : '≤ 3× floor',
        floorText: 'the same statement, direct with postgres.js (p95)',
        detail: {
          rows: first.items.length,
          total: first.total,
          calls,
          httpP50: round(h.p50, 2),
          httpP95: round(h.p95, 2),
          floorP50: round(f.p50, 2),
          floorP95: round(f.p95, 2),
          ratioP50: round(h.p50 / f.p50, 2),
        },
      }),
    );
    ctx.log(
      `  ${c.name}${state}: HTTP p50 ${h.p50.toFixed(2)} / p95 ${h.p95.toFixed(2)} ms; floor p50 ${f.p50.toFixed(2)} / p95 ${f.p95.toFixed(2)} ms (${first.items.length} rows)`,
    );
  }
  if (state) return out;
  // Context for the ratios: what an HTTP call to tRPC costs before any session or SQL (answered 401).
  const bare: number[] = [];
  for (let i = 0; i < WARM_UP_CALLS + calls; i++) {
    const t = now();
    const res = await trpcQuery(ctx.base, '', 'nas.list', listCases(nas)[0].input);
    if (i >= WARM_UP_CALLS) bare.push(now() - t);
    if (res.status !== 401) throw new Error(`nas.list without a session answered ${res.status}, expected 401`);
  }
  const b = summarize(bare);
  ctx.log(`  without a session (401, no SQL): p50 ${b.p50.toFixed(2)} / p95 ${b.p95.toFixed(2)} ms`);
  out.push(
    result({
      id: 1,
      name: 'context: nas.list without a session (the HTTP server and tRPC only, 401): p50',
      value: round(b.p50, 2),
      unit: 'ms',
      targetText: 'reported (fixed cost of an HTTP call)',
      detail: { calls, p50: round(b.p50, 2), p95: round(b.p95, 2) },
    }),
  );
  return out;
}

/**
 * Figure 2: the page requests of figure 1 (admin and reseller, alternating) from `clients` concurrent
 * keep-alive clients for `seconds`.
 */
export async function measureLoad(ctx: ListContext, clients: number, seconds: number, state = ''): Promise<BenchResult[]> {
  const cases = listCases(1000).filter((c) => c.page);
  const latencies: number[] = [];
  let errors = 0;
  const firstErrors: string[] = [];
  const started = now();
  const end = started + seconds * 1000;
  const client = async (k: number) => {
    for (let i = k; now() < end; i++) {
      const c = cases[i % cases.length];
      const t = now();
      try {
        const res = await trpcQuery(ctx.base, ctx.cookies[c.who], 'nas.list', c.input);
        latencies.push(now() - t);
        if (res.status !== 200) {
          errors++;
          if (firstErrors.length < 3) firstErrors.push(`${res.status} ${res.body.slice(0, 120)}`);
        }
      } catch (e) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(e instanceof Error ? e.message : String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, k) => client(k)));
  const elapsed = (now() - started) / 1000;
  const s = summarize(latencies);
  const rps = latencies.length / elapsed;
  ctx.log(
    `  ${clients} clients × ${seconds} s${state}: ${latencies.length} requests, ${rps.toFixed(0)}/s, p50 ${s.p50.toFixed(1)} / p99 ${s.p99.toFixed(1)} ms, ${errors} errors`,
  );
  const detail = {
    clients,
    seconds,
    requests: latencies.length,
    p50: round(s.p50),
    p95: round(s.p95),
    p99: round(s.p99),
    max: round(s.max),
    mix: 'admin first page / reseller first page, alternating',
    firstErrors,
  };
  return [
    result({
      id: 2,
      name: `nas.list under ${clients} clients${state}: p99`,
      value: round(s.p99),
      unit: 'ms',
      target: 250,
      pass: s.p99 <= 250,
      targetText: 'p99 ≤ 250 ms',
      detail,
    }),
    result({
      id: 2,
      name: `nas.list under ${clients} clients${state}: errors`,
      value: errors,
      unit: 'errors',
      target: 0,
      pass: errors === 0,
      targetText: '0 errors',
      detail: { requests: latencies.length },
    }),
    result({
      id: 2,
      name: `nas.list under ${clients} clients${state}: throughput`,
      value: round(rps),
      unit: 'req/s',
      targetText: 'reported',
      detail: { requests: latencies.length, seconds: round(elapsed, 2) },
    }),
  ];
}
