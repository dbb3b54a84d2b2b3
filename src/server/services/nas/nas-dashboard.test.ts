import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { nasSessionSamplerJob } from '@/server/jobs/nas-session-sampler';
import { createJobRunner, type JobDefinition } from '@/server/jobs/runner';
import { assign, callerFor, makeNas, makeReseller, makeUser, openSessions } from '@/test/fixtures';
import { getNasDashboard } from './nas-dashboard';
import { sampleNasSessions, SESSION_SAMPLE_INTERVAL_MS } from './session-samples';

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let admin: Actor;
let nas: { id: number; ipAddress: string };

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  nas = await makeNas(admin);
});

async function samplesOf(nasId: number) {
  return db().execute<{ at: Date; open: number }>(sql`select at, open from nas_session_samples where nas_id = ${nasId} order by at`);
}

describe('getNasDashboard', () => {
  it('returns each series for seeded data: samples per slot, the live count, pool usage, hourly RADIUS counters', async () => {
    const now = Date.now();
    // Two samples within the window, and one from before it (the next sampler run prunes it).
    await openSessions(nas.ipAddress, 3);
    await sampleNasSessions({ now: new Date(now - 2 * HOUR) });
    await openSessions(nas.ipAddress, 2);
    await sampleNasSessions({ now: new Date(now - HOUR) });
    await db().execute(sql`insert into nas_session_samples (nas_id, at, open) values (${nas.id}, now() - interval '30 hours', 99)`);
    await db().execute(sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address, status)
      select ${nas.id}::int, 'pppoe-a', ('100.64.0.' || g)::inet, case when g = 1 then 'in_use' else 'available' end from generate_series(1, 4) g
      union all select ${nas.id}::int, 'pppoe-b', ('100.64.1.' || g)::inet, 'in_use' from generate_series(1, 2) g`);
    await db().execute(sql`insert into nas_radius_stats (nas_id, hour, requests, accepts, rejects, accounting, secret_mismatches)
      values (${nas.id}, date_trunc('hour', now()) - interval '2 hours', 10, 7, 3, 20, 1),
             (${nas.id}, date_trunc('hour', now()), 4, 4, 0, 9, 0),
             (${nas.id}, date_trunc('hour', now()) - interval '30 hours', 500, 500, 0, 500, 500)`);

    const d = await getNasDashboard(admin, nas.id);
    expect(d.currentSessions).toBe(5);
    expect(d.sessions.points.map((p) => p.open)).toEqual([3, 5]);
    const slot = (t: number) => new Date(Math.floor(t / SESSION_SAMPLE_INTERVAL_MS) * SESSION_SAMPLE_INTERVAL_MS).toISOString();
    expect(d.sessions.points.map((p) => p.at)).toEqual([slot(now - 2 * HOUR), slot(now - HOUR)]);
    // Sampling started with the 30-hour-old sample: the chart can cover the whole day.
    expect(Date.parse(d.sessions.samplingSince!)).toBeLessThan(now - 24 * HOUR);
    expect(d.pools).toEqual([
      { name: 'pppoe-a', size: 4, inUse: 1 },
      { name: 'pppoe-b', size: 2, inUse: 2 },
    ]);
    expect(d.radius.hours).toHaveLength(24);
    const byAge = (h: number) => d.radius.hours[23 - h];
    expect(byAge(2)).toMatchObject({ requests: 10, accepts: 7, rejects: 3, accounting: 20, secretMismatches: 1 });
    expect(byAge(0)).toMatchObject({ requests: 4, accepts: 4, rejects: 0, accounting: 9, secretMismatches: 0 });
    expect(d.radius.hours.reduce((s, h) => s + h.requests, 0)).toBe(14); // the 30-hour-old hour is outside
    expect(Date.parse(byAge(0).hour) - Date.parse(byAge(1).hour)).toBe(HOUR);
    expect(d.radius.lastHour).toBe(byAge(0).hour);

    // The sampler prunes what is past its retention.
    await sampleNasSessions();
    expect((await samplesOf(nas.id)).map((s) => s.open)).toEqual([3, 5, 5]);
  });

  it('says there is nothing yet for a NAS nobody has seen', async () => {
    const quiet = await makeNas(admin);
    const d = await getNasDashboard(admin, quiet.id);
    expect(d).toMatchObject({ currentSessions: 0, pools: [], sessions: { samplingSince: null, points: [] }, radius: { lastHour: null } });
    expect(d.radius.hours.every((h) => h.requests + h.accepts + h.rejects + h.accounting + h.secretMismatches === 0)).toBe(true);
  });

  it('is scoped like the NAS: another reseller gets NOT_FOUND, its own reseller the dashboard', async () => {
    const resellerId = await makeReseller();
    const reseller = await makeUser({ role: 'reseller', resellerId });
    await expect(callerFor(reseller).nasDashboard.get({ id: nas.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await assign(resellerId, nas.id);
    await expect(callerFor(reseller).nasDashboard.get({ id: nas.id })).resolves.toMatchObject({ nasId: nas.id, currentSessions: 5 });
    await expect(callerFor(admin).nasDashboard.get({ id: 2_000_000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the session sampler', () => {
  const pools: postgres.Sql[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
  });
  const instancePool = () => {
    const p = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
    pools.push(p);
    return () => p;
  };

  it('samples once per interval across two panel processes, one row per NAS and slot', async () => {
    const intervalMs = 500;
    const sampled = await makeNas(admin);
    await openSessions(sampled.ipAddress, 7);
    const starts: string[] = [];
    const declared = nasSessionSamplerJob(() => {}, intervalMs);
    const job: JobDefinition = {
      ...declared,
      firstDelayMs: 0,
      run: async (ctx) => {
        starts.push(ctx.instance);
        await declared.run(ctx);
      },
    };
    const a = createJobRunner([job], { sql: instancePool(), instance: 'panel-a', log: () => {} });
    // Half an interval out of phase, as two processes started at different times are.
    const b = createJobRunner([{ ...job, firstDelayMs: intervalMs / 2 }], { sql: instancePool(), instance: 'panel-b', log: () => {} });
    const windowMs = 3000;
    await sleep(windowMs);
    await Promise.all([a.stop(), b.stop()]);
    // Each process running it every interval would start it ~2x as often.
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(starts.length).toBeLessThanOrEqual(Math.floor(windowMs / (intervalMs * 0.9)) + 1);
    const rows = await samplesOf(sampled.id);
    expect(rows.length).toBeGreaterThanOrEqual(starts.length - 1); // two starts may share a slot (timer slack)
    expect(rows.length).toBeLessThanOrEqual(starts.length);
    expect(rows.every((r) => r.open === 7)).toBe(true);
  });
});
