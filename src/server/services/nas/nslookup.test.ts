import { sql } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim';
import { STALLING_NAME, startDnsResponder, type SimDnsResponder } from '../../../../tools/routeros-sim/dns';
import { fieldErrorsOf } from '@/lib/schemas/field-errors';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { callerFor, makeNas, makeReseller, makeUser } from '@/test/fixtures';
import { NSLOOKUP_COMMAND_MS, runNsLookup } from './nslookup';

let admin: Actor;
const routers: SimRouter[] = [];
let dns: SimDnsResponder;
let silentDns: SimDnsResponder;
const nasIds: Record<'v718' | 'v714' | 'v642', number> = { v718: 0, v714: 0, v642: 0 };
let panelServers: string[];

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  dns = await startDnsResponder({ host: '127.0.76.53' });
  silentDns = await startDnsResponder({ host: '127.0.76.54', silent: true });
  panelServers = [`${dns.host}:${dns.port}`];
  const versions = { v718: '7.18.2 (stable)', v714: '7.14.3 (stable)', v642: '6.42.12 (long-term)' } as const;
  let i = 1;
  for (const [key, version] of Object.entries(versions) as [keyof typeof versions, string][]) {
    const router = await startRouter({ host: `127.0.76.${i++}`, apiPort: 0, username: 'panel', password: 'p', version });
    routers.push(router);
    nasIds[key] = (await makeNas(admin, { ipAddress: router.host, apiUsername: 'panel', apiPassword: 'p', apiPort: router.apiPort })).id;
  }
});

afterAll(async () => {
  await Promise.all([...routers.map((r) => r.stop()), dns.stop(), silentDns.stop()]);
});

const sorted = (records: { type: string; data: string }[]) => records.map((r) => `${r.type} ${r.data}`).sort();

describe('NSLookup through a router, beside the panel', () => {
  it('answers through /tool/dns-lookup where RouterOS has it, the same records as the panel-side lookup', async () => {
    const r = await runNsLookup(admin, { id: nasIds.v718, name: 'portal.example.net' }, { panelServers });
    expect(r.router).toMatchObject({ status: 'answer', method: '/tool/dns-lookup' });
    expect(sorted(r.router.records)).toEqual(['A 203.0.113.80', 'A 203.0.113.81', 'AAAA 2001:db8::80']);
    expect(r.panel).toMatchObject({ status: 'answer', method: 'node:dns' });
    expect(sorted(r.panel.records)).toEqual(sorted(r.router.records));
  });

  it('says NXDOMAIN on both sides for a name that does not exist', async () => {
    const r = await runNsLookup(admin, { id: nasIds.v718, name: 'nothing.example.net' }, { panelServers });
    expect(r.router).toMatchObject({ status: 'nxdomain', records: [] });
    expect(r.panel).toMatchObject({ status: 'nxdomain', records: [] });
  });

  it('falls back to :resolve on a RouterOS 7 without the tool, and says so plainly on RouterOS 6', async () => {
    const v714 = await runNsLookup(admin, { id: nasIds.v714, name: 'radius.example.net' }, { panelServers });
    expect(v714.router).toMatchObject({ status: 'answer', method: ':resolve', records: [{ type: 'A', data: '198.51.100.53' }] });
    const gone = await runNsLookup(admin, { id: nasIds.v714, name: 'gone.example.net' }, { panelServers });
    expect(gone.router).toMatchObject({ status: 'nxdomain', method: ':resolve' });
    const v642 = await runNsLookup(admin, { id: nasIds.v642, name: 'radius.example.net' }, { panelServers });
    expect(v642.router.status).toBe('unsupported');
    expect(v642.router.message).toMatch(/^RouterOS 6\.42\.12 \(long-term\) cannot look a name up over its API/);
    expect(v642.panel.records).toEqual([{ type: 'A', data: '198.51.100.53', ttl: '3600s' }]);
  });

  it('refuses a name that is not a host name as a field error, before anything is sent', async () => {
    for (const name of ['bad name', 'x"];/system/reboot', '198.51.100.7', '']) {
      const e = await callerFor(admin)
        .diagnostics.nslookup({ id: nasIds.v718, name })
        .catch((err: unknown) => err);
      expect(e).toBeInstanceOf(TRPCError);
      expect((e as TRPCError).code).toBe('BAD_REQUEST');
      expect(Object.keys(fieldErrorsOf((e as TRPCError).cause as ZodError))).toEqual(['name']);
    }
  });

  it('is audited on the NAS, and scoped like it', async () => {
    await callerFor(admin).diagnostics.nslookup({ id: nasIds.v718, name: 'www.example.net' });
    const [entry] = await db().execute<{ action: string; summary: string; actor_email: string }>(
      sql`select action, summary, actor_email from audit_log where entity_type = 'nas' and entity_id = ${nasIds.v718} order by id desc limit 1`,
    );
    expect(entry).toMatchObject({ action: 'nas.nslookup', actor_email: admin.email });
    expect(entry.summary).toMatch(/^NSLookup www\.example\.net through .*: router answer \(\/tool\/dns-lookup\), panel /);
    const stranger = await makeUser({ role: 'reseller', resellerId: await makeReseller() });
    await expect(callerFor(stranger).diagnostics.nslookup({ id: nasIds.v718, name: 'www.example.net' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const operator = await makeUser({ role: 'operator' });
    await expect(callerFor(operator).diagnostics.nslookup({ id: nasIds.v718, name: 'www.example.net' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('deadlines', () => {
  it('ends a lookup through a router that stalls after login at its deadline, the panel side still answering', async () => {
    const router = routers[0];
    await router.setFault('slow', 60_000);
    try {
      const t = Date.now();
      const r = await runNsLookup(admin, { id: nasIds.v718, name: 'portal.example.net' }, { panelServers });
      expect(Date.now() - t).toBeLessThan(NSLOOKUP_COMMAND_MS + 4000);
      expect(r.router.status).toBe('error');
      expect(r.router.message).toMatch(/^through .*: /);
      expect(r.panel.status).toBe('answer');
    } finally {
      await router.setFault('none');
    }
  });

  it("ends a lookup the router's DNS does not answer at the command deadline", async () => {
    const t = Date.now();
    const r = await runNsLookup(admin, { id: nasIds.v718, name: STALLING_NAME }, { panelServers });
    expect(Date.now() - t).toBeLessThan(NSLOOKUP_COMMAND_MS + 1500);
    expect(r.router.status).toBe('error');
    expect(r.router.message).toMatch(/^through .*: /);
    expect(r.panel.status).toBe('nxdomain');
  });

  it('bounds the panel-side lookup when its resolver never answers', async () => {
    const t = Date.now();
    const r = await runNsLookup(
      admin,
      { id: nasIds.v718, name: 'portal.example.net' },
      { panelServers: [`${silentDns.host}:${silentDns.port}`] },
    );
    expect(Date.now() - t).toBeLessThan(7000);
    expect(r.router.status).toBe('answer');
    expect(r.panel).toMatchObject({ status: 'error', records: [] });
    expect(r.panel.message).toMatch(/within 5 s|ETIMEOUT/);
  });
});
