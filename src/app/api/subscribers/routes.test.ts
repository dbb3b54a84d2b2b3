import { sql } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import type { Actor } from '@/server/auth/actor';
import { createSession } from '@/server/auth/sessions';
import { db } from '@/server/db/client';
import { makePlan } from '@/server/radius-service/test-support';
import { makeNas, makeUser, uid } from '@/test/fixtures';
import { GET } from './export/route';
import { POST } from './import/route';

/** The route handlers as the browser meets them: the session cookie, the streamed body, the status codes. */
let admin: Actor;
let adminCookie: string;
let nas: { name: string; ipAddress: string };
let plan: string;

async function cookieOf(actor: Actor) {
  const sid = (await createSession(actor.userId, '127.0.0.1')).id;
  return `next-auth.session-token=${await encode({ token: { uid: actor.userId, sid }, secret: env().NEXTAUTH_SECRET, maxAge: 3600 })}`;
}

function post(body: string, headers: Record<string, string>, query = 'name=t.csv') {
  const bytes = new TextEncoder().encode(body);
  // Sent in pieces, as a network delivers it.
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.subarray(i, i + 7));
      c.close();
    },
  });
  return POST(
    new NextRequest(`http://panel.test/api/subscribers/import?${query}`, {
      method: 'POST',
      headers,
      body: stream,
      duplex: 'half',
    } as ConstructorParameters<typeof NextRequest>[1]),
  );
}

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  adminCookie = await cookieOf(admin);
  nas = await makeNas(admin);
  plan = uid('Plan');
  await makePlan({ name: plan });
});

describe('POST /api/subscribers/import', () => {
  const csv = () => `username,password,plan,nas,static_ip,enabled\n${uid('h')},pw,${plan},${nas.name},,\n`;

  it('refuses without a session, without subscribers.create, and a body that is not text/csv', async () => {
    expect((await post(csv(), { 'content-type': 'text/csv' })).status).toBe(401);
    const operator = await makeUser({ role: 'operator' });
    const res = await post(csv(), { 'content-type': 'text/csv', cookie: await cookieOf(operator) });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'missing permission subscribers.create' });
    expect((await post(csv(), { 'content-type': 'text/plain', cookie: adminCookie })).status).toBe(415);
  });

  it('refuses a declared size over the cap before reading, and says the cap', async () => {
    const res = await post(csv(), { 'content-type': 'text/csv', cookie: adminCookie, 'content-length': String(65 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('the file is larger than 64 MB, the most one import takes: split it into several files');
  });

  it('answers a malformed file with its error and line, keeping nothing; a good one with the checked import', async () => {
    const before = (await db().execute<{ n: number }>(sql`select count(*)::int as n from subscriber_imports`))[0].n;
    const bad = await post('username,password,plan\nx,y,z\n', { 'content-type': 'text/csv', cookie: adminCookie });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'line 1: the header lacks the columns nas, static_ip, enabled', line: 1 });
    expect((await db().execute<{ n: number }>(sql`select count(*)::int as n from subscriber_imports`))[0].n).toBe(before);
    const good = await post(csv(), { 'content-type': 'text/csv; charset=utf-8', cookie: adminCookie }, 'name=my%20subs.csv');
    expect(good.status).toBe(200);
    expect((await good.json()).import).toMatchObject({ state: 'checked', totalRows: 1, fileName: 'my subs.csv', errorCount: 0 });
  });
});

describe('GET /api/subscribers/export', () => {
  it('streams CSV to a signed-in user, never a password; refuses without a session or with a bad nas_id', async () => {
    const get = (query: string, cookie?: string) =>
      GET(new NextRequest(`http://panel.test/api/subscribers/export${query}`, { headers: cookie ? { cookie } : {} }));
    expect((await get('')).status).toBe(401);
    expect((await get('?nas_id=abc', adminCookie)).status).toBe(400);
    const name = uid('e');
    await db().execute(sql`insert into subscribers (username, password_enc) values (${name}, 'v2.sealed')`);
    const res = await get('', adminCookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await res.text();
    expect(text).toContain(`${name},,,,,true\r\n`);
    expect(text).not.toContain('v2.sealed');
  });
});
