import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import type { Actor } from '@/server/auth/actor';
import { createSession } from '@/server/auth/sessions';
import { makeNas, makeReseller, makeUser, assign } from '@/test/fixtures';
import { parseCookieHeader } from './context';
import { MAX_BODY_BYTES, isTrpcRequest, trpcNodeHandler } from './node-handler';

/** The tRPC endpoint of the production server, over a real socket: cookie, permissions, scope, limits. */
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => (isTrpcRequest(req.url) ? trpcNodeHandler(req, res) : res.writeHead(418).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function cookieOf(actor: Actor) {
  const sid = (await createSession(actor.userId, '127.0.0.1')).id;
  return `other=1; next-auth.session-token=${await encode({ token: { uid: actor.userId, sid }, secret: env().NEXTAUTH_SECRET, maxAge: 3600 })}`;
}

const list = (cookie: string | null, search: string) =>
  fetch(`${base}/api/trpc/nas.list?input=${encodeURIComponent(JSON.stringify({ search, status: 'all', limit: 50, offset: 0 }))}`, {
    headers: cookie ? { cookie } : {},
  });

describe('the tRPC endpoint without Next', () => {
  it('answers a signed-in call with the actor of its cookie and its reseller scope', async () => {
    const admin = await makeUser({ role: 'admin' });
    const reseller = await makeReseller();
    const resellerUser = await makeUser({ role: 'reseller', resellerId: reseller });
    const mine = await makeNas(admin);
    const theirs = await makeNas(admin);
    await assign(reseller, mine.id);
    const search = mine.name.slice(0, 7); // "Router-" prefix: both rows match
    const asAdmin = await list(await cookieOf(admin), search);
    expect(asAdmin.status).toBe(200);
    const adminNames = ((await asAdmin.json()) as { result: { data: { items: { name: string }[] } } }).result.data.items.map((i) => i.name);
    expect(adminNames).toEqual(expect.arrayContaining([mine.name, theirs.name]));
    const asReseller = await list(await cookieOf(resellerUser), search);
    const resellerNames = ((await asReseller.json()) as { result: { data: { items: { name: string }[] } } }).result.data.items.map(
      (i) => i.name,
    );
    expect(resellerNames).toContain(mine.name);
    expect(resellerNames).not.toContain(theirs.name);
  });

  it('answers 401 without a session, and for a cookie sealed with another secret', async () => {
    expect((await list(null, '')).status).toBe(401);
    const u = await makeUser({ role: 'admin' });
    const sid = (await createSession(u.userId, '127.0.0.1')).id;
    const foreign = await encode({ token: { uid: u.userId, sid }, secret: 'another-secret-another-secret-another', maxAge: 3600 });
    expect((await list(`next-auth.session-token=${foreign}`, '')).status).toBe(401);
  });

  it('refuses a body over the limit with 413, and an unknown procedure with 404', async () => {
    const admin = await makeUser({ role: 'admin' });
    const cookie = await cookieOf(admin);
    const big = await fetch(`${base}/api/trpc/nas.create`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${base}/api/trpc/nas.nothing`, { headers: { cookie } })).status).toBe(404);
  });
});

describe('isTrpcRequest', () => {
  it('takes /api/trpc/… only', () => {
    expect(isTrpcRequest('/api/trpc/nas.list?input=%7B%7D')).toBe(true);
    expect(isTrpcRequest('/api/trpc/nas.list,nas.get?batch=1')).toBe(true);
    expect(isTrpcRequest('/api/trpcx/nas.list')).toBe(false);
    expect(isTrpcRequest('/api/auth/session')).toBe(false);
    expect(isTrpcRequest('/nas')).toBe(false);
    expect(isTrpcRequest(undefined)).toBe(false);
  });
});

describe('parseCookieHeader', () => {
  it('reads name=value pairs as Next does for API routes', () => {
    expect(parseCookieHeader('a=1; b=x%20y; c="q"; d=e=f; =skip; bad; a=2; pct=%E0%A4%A')).toEqual({
      a: '1',
      b: 'x y',
      c: 'q',
      d: 'e=f',
      pct: '%E0%A4%A',
    });
    expect(parseCookieHeader(undefined)).toEqual({});
  });
});
