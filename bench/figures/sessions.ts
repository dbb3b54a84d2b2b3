import type postgres from 'postgres';
import { ZListSessionsInput, type ListSessionsInput } from '../../src/lib/schemas/sessions';
import { listSessions } from '../../src/server/services/sessions/list-sessions';
import type { ListContext } from './list';
import { trpcData, trpcQuery } from '../lib/http';
import { result, type BenchResult } from '../lib/result';
import { now, round, summarize } from '../lib/stats';

const WARM_UP_CALLS = 100;
const TARGET_MS = 50;

interface SessionCase {
  name: string;
  who: 'admin' | 'reseller';
  input: Partial<ListSessionsInput>;
}

/**
 * The cases, with search terms taken from the world itself: the bench reseller (reseller 1) holds NAS 1-20, its
 * own NAS 7 is the filtered one. Usernames are sub0000001…: `sub00012` matches about 100 open sessions, `sub000`
 * about 10,000 (about 200 on the reseller's NAS), `sub0` every one (the planner must walk the start order, not
 * sort 200,000 matches); an open session's Framed-IP finds its row. (The world's Calling-Station-Ids are bare
 * hex, which the search reads as a username.)
 */
async function sessionCases(ctx: ListContext): Promise<SessionCase[]> {
  const [open] = await ctx.sql`select host(framedipaddress) as ip from radacct
    where acctstoptime is null and nasipaddress = '127.0.100.7'::inet and framedipaddress is not null limit 1`;
  const page1 = await listSessions(ctx.actors.admin, ZListSessionsInput.parse({}));
  if (!open || !page1.nextCursor) throw new Error('the world has no open sessions to list');
  return [
    { name: 'admin, first page (50)', who: 'admin', input: {} },
    { name: 'admin, next page (keyset)', who: 'admin', input: { after: page1.nextCursor } },
    { name: 'reseller, first page (own 20 NAS)', who: 'reseller', input: {} },
    { name: 'admin, filtered by a NAS', who: 'admin', input: { nasId: 7 } },
    { name: 'reseller, filtered by its NAS', who: 'reseller', input: { nasId: 7 } },
    { name: 'admin, username prefix "sub00012"', who: 'admin', input: { search: 'sub00012' } },
    { name: 'reseller, username prefix "sub000"', who: 'reseller', input: { search: 'sub000' } },
    { name: 'admin, username prefix "sub0" (every session)', who: 'admin', input: { search: 'sub0' } },
    { name: 'admin, a Framed-IP', who: 'admin', input: { search: open.ip as string } },
    { name: 'reseller, a Framed-IP', who: 'reseller', input: { search: open.ip as string } },
  ];
}

/**
 * Figure 15: `sessions.list` first pages over HTTP with 200,000 open sessions among 2,000,000 radacct rows,
 * beside the service's own statements (the page and the total, sent in parallel as the service does) run
 * directly with postgres.js. Measured after an interim-update wave, so the pages holding open sessions are not
 * all-visible, as in production where interim updates rewrite every open row every few minutes.
 */
export async function measureSessionsList(ctx: ListContext, calls: number): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const c of await sessionCases(ctx)) {
    const input = ZListSessionsInput.parse(c.input);
    const stmts = await ctx.capture(() => listSessions(ctx.actors[c.who], input));
    if (stmts.length !== 2) throw new Error(`${c.name}: captured ${stmts.length} statements, expected the page and its total`);
    const floorOnce = () => Promise.all(stmts.map((s) => ctx.sql.unsafe(s.query, s.params as postgres.ParameterOrJSON<never>[])));
    const first = trpcData<{ items: unknown[]; total: number; totalCapped: boolean }>(
      'sessions.list',
      await trpcQuery(ctx.base, ctx.cookies[c.who], 'sessions.list', c.input),
    );
    const [floorRows] = await floorOnce();
    // The page statement reads one row more than it shows (to know there is a next page).
    if (first.items.length !== Math.min(floorRows.length, input.limit))
      throw new Error(`${c.name}: HTTP returned ${first.items.length} rows, the floor ${floorRows.length}`);
    if (first.items.length === 0) throw new Error(`${c.name}: no rows; the case measures nothing`);
    for (let i = 0; i < WARM_UP_CALLS; i++) {
      await trpcQuery(ctx.base, ctx.cookies[c.who], 'sessions.list', c.input);
      await floorOnce();
    }
    const http: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < calls; i++) {
      let t = now();
      const res = await trpcQuery(ctx.base, ctx.cookies[c.who], 'sessions.list', c.input);
      http.push(now() - t);
      if (res.status !== 200) throw new Error(`${c.name}: sessions.list answered ${res.status}`);
      t = now();
      await floorOnce();
      floor.push(now() - t);
    }
    const h = summarize(http);
    const f = summarize(floor);
    out.push(
      result({
        id: 15,
        name: `sessions.list ${c.name}: p95`,
        value: round(h.p95, 2),
        unit: 'ms',
        floor: round(f.p95, 2),
        target: TARGET_MS,
        pass: h.p95 <= TARGET_MS,
        targetText: `p95 ≤ ${TARGET_MS} ms`,
        floorText: "the service's two statements, direct with postgres.js (p95)",
        detail: {
          rows: first.items.length,
          total: first.total,
          totalCapped: first.totalCapped,
          calls,
          httpP50: round(h.p50, 2),
          httpP95: round(h.p95, 2),
          floorP50: round(f.p50, 2),
          floorP95: round(f.p95, 2),
        },
      }),
    );
    ctx.log(
      `  ${c.name}: HTTP p50 ${h.p50.toFixed(2)} / p95 ${h.p95.toFixed(2)} ms; floor p50 ${f.p50.toFixed(2)} / p95 ${f.p95.toFixed(2)} ms (${first.items.length} rows of ${first.total}${first.totalCapped ? '+' : ''})`,
    );
  }
  return out;
}
