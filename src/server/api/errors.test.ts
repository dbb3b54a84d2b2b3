import type { AddressInfo } from 'node:net';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { db } from '@/server/db/client';
import { FieldConflictError, FieldError, NotFoundError } from '@/server/errors';
import { callerFor, makeNas, makeUser } from '@/test/fixtures';
import { appRouter } from './root';
import { publicProcedure, router } from './trpc';

/**
 * What a browser receives when things go wrong, through tRPC's real HTTP handling (the same router builders,
 * error translation and formatter as /api/trpc).
 */
const failing = router({
  query: publicProcedure.query(() => db().execute(sql`select ${'v1.secret-parameter'}::int from nas_devices_missing_table`)),
  bug: publicProcedure.query(() => {
    throw new Error('Cannot read properties of undefined (reading "secretEnc") at /srv/panel/src/server/x.ts:12');
  }),
  taken: publicProcedure.mutation(() => {
    throw new FieldConflictError('ipAddress', 'a NAS with IP 10.0.0.1 already exists');
  }),
  wrong: publicProcedure.mutation(() => {
    throw new FieldError('secret', 'Retype the secret');
  }),
  missing: publicProcedure.query(() => {
    throw new NotFoundError('NAS #5');
  }),
  typed: publicProcedure.input(z.object({ id: z.number().max(3, 'id must be at most 3') })).query(() => 1),
});

let base = '';
let close: () => void;
beforeAll(async () => {
  const server = createHTTPServer({ router: failing, createContext: () => ({ actor: null }) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

async function call(path: string, input?: unknown, method: 'GET' | 'POST' = 'GET') {
  const url =
    method === 'GET'
      ? `${base}/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
      : `${base}/${path}`;
  const res = await fetch(
    url,
    method === 'POST' ? { method, body: JSON.stringify(input ?? {}), headers: { 'content-type': 'application/json' } } : {},
  );
  return { status: res.status, text: await res.text() };
}

describe('an unexpected error', () => {
  it('answers 500 with a generic message and an error id; the statement and stack go to the log only', async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void logged.push(a.join(' ')));
    try {
      for (const path of ['query', 'bug']) {
        const r = await call(path);
        expect(r.status).toBe(500);
        const body = JSON.parse(r.text);
        const message: string = body.error.message;
        const id = /^Internal error ([0-9a-f]{8}): /.exec(message)?.[1];
        expect(id, message).toBeDefined();
        expect(r.text).not.toMatch(/select|nas_devices_missing_table|secret-parameter|secretEnc|\/srv\/panel|\bat /i);
        expect(body.error.data.stack).toBeUndefined();
        const line = logged.find((l) => l.includes(id!));
        expect(line).toBeDefined();
        expect(line).toContain(path === 'query' ? 'nas_devices_missing_table' : 'secretEnc');
        expect(line).not.toContain('secret-parameter');
      }
    } finally {
      spy.mockRestore();
    }
  });
});

describe('domain errors', () => {
  it('keep their message and map to their code by class, with field errors for the form', async () => {
    const taken = JSON.parse((await call('taken', {}, 'POST')).text).error;
    expect(taken.data.code).toBe('CONFLICT');
    expect(taken.data.fieldErrors).toEqual({ ipAddress: ['a NAS with IP 10.0.0.1 already exists'] });
    const wrong = JSON.parse((await call('wrong', {}, 'POST')).text).error;
    expect(wrong.data.code).toBe('BAD_REQUEST');
    expect(wrong.data.fieldErrors).toEqual({ secret: ['Retype the secret'] });
    const missing = await call('missing');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error.message).toBe('NAS #5 not found');
    const typed = JSON.parse((await call('typed', { id: 9 })).text).error;
    expect(typed.data.code).toBe('BAD_REQUEST');
    expect(typed.message).toBe('id must be at most 3');
    expect(typed.data.fieldErrors).toEqual({ id: ['id must be at most 3'] });
  });
});

describe('inputs are checked before any query', () => {
  it('refuses ids beyond the column range and control characters in text, naming the field', async () => {
    const admin = callerFor(await makeUser({ role: 'admin' }));
    const e1 = await admin.nas.get({ id: 2147483648 }).catch((e) => e);
    expect(e1.code).toBe('BAD_REQUEST');
    expect(e1.message).toBe('NAS id must be between 1 and 2147483647');
    const e2 = await admin.nas.list({ search: 'a\u0000b' }).catch((e) => e);
    expect(e2.code).toBe('BAD_REQUEST');
    expect(e2.message).toBe('Search must not contain control characters');
    const nas = await makeNas(await makeUser({ role: 'admin' }));
    const cur = await admin.nas.get({ id: nas.id });
    for (const [field, value] of [
      ['name', 'Core\u0007'],
      ['description', 'line\u001b[31m'],
      ['apiUsername', 'admin\r\n/quit'],
      ['shortName', 'x\u202eevil'],
      ['secret', 'sec\u0000ret'],
    ] as const) {
      const e = await admin.nas.update({ ...cur, secret: '', apiPassword: '', [field]: value }).catch((err) => err);
      expect(e.code, field).toBe('BAD_REQUEST');
      expect(e.message, field).toMatch(/must not contain (line breaks or other )?control characters/);
    }
    // A description keeps its line breaks.
    await admin.nas.update({ ...cur, secret: '', apiPassword: '', description: 'rack 3\nport 12' });
    expect((await admin.nas.get({ id: nas.id })).description).toBe('rack 3\nport 12');
  });

  it('covers every id and text input of every procedure (the schemas share one set of rules)', async () => {
    const admin = callerFor(await makeUser({ role: 'admin' }));
    const big = 2 ** 31;
    const probes: [string, () => Promise<unknown>][] = [
      ['nas.history', () => admin.nas.history({ id: big })],
      ['nas.pools', () => admin.nas.pools({ id: big })],
      ['nas.delete', () => admin.nas.delete({ id: big })],
      ['nas.testConnection', () => admin.nas.testConnection({ id: big })],
      ['nas.diagnostic', () => admin.nas.diagnostic({ id: big, tool: 'ping', address: '10.0.0.1' })],
      ['resellers.get', () => admin.resellers.get({ id: big })],
      ['resellers.setAssignment', () => admin.resellers.setAssignment({ resellerId: 1, nasId: big, assigned: true })],
      ['users.update', () => admin.users.update({ id: big, name: 'x', roleId: 1, resellerId: null, isActive: true })],
      ['resellers.create', () => admin.resellers.create({ name: 'Acme\u0000' })],
      ['users.create', () => admin.users.create({ email: 'a@b.example', name: 'n\u0085', password: 'long-password-1', roleId: 1 })],
      ['nas.diagnostic address', () => admin.nas.diagnostic({ id: 1, tool: 'ping', address: 'host\u0000.example' })],
    ];
    for (const [name, probe] of probes) {
      const e = (await probe().catch((err) => err)) as { code?: string };
      expect(e?.code, name).toBe('BAD_REQUEST');
    }
    expect(Object.keys(appRouter._def.procedures)).toContain('nas.diagnostic');
  });
});
