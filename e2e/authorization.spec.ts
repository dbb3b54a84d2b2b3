import type { APIRequestContext, Browser } from '@playwright/test';
import { appRouter } from '../src/server/api/root';
import { expect, test, type World } from './fixtures';

/**
 * Every procedure of the app × every kind of caller, over HTTP against the running panel, with real
 * sign-ins. The procedure list comes from the router itself: a new procedure without a row below fails here.
 *
 * Outcome classes: 401 (not signed in), 403 (missing permission), 404 (out of scope: as if it did not
 * exist), or "in" (authorization passed; the call may still fail for its own reasons, e.g. an unreachable
 * router, which is not an authorization answer).
 */
type Who = 'anonymous' | 'noPermission' | 'operator' | 'resellerIn' | 'resellerOut' | 'admin';
type Outcome = '401' | '403' | '404' | 'in';
const WHO: Who[] = ['anonymous', 'noPermission', 'operator', 'resellerIn', 'resellerOut', 'admin'];

interface Ids {
  nasIn: number; // assigned to the reseller
  nasOut: number; // assigned to nobody
  resellerId: number;
  userId: number;
  fresh: (inScope: boolean) => Promise<number>; // a NAS a mutation may consume
}

// For each procedure: the input, given whether the caller is acting on an in-scope NAS, and the outcome per caller.
const all = (o: Outcome): Record<Who, Outcome> => ({
  anonymous: '401',
  noPermission: o,
  operator: o,
  resellerIn: o,
  resellerOut: o,
  admin: 'in',
});
const view = { anonymous: '401', noPermission: '403', operator: 'in', resellerIn: 'in', resellerOut: '404', admin: 'in' } as const;
const edit = { anonymous: '401', noPermission: '403', operator: '403', resellerIn: 'in', resellerOut: '404', admin: 'in' } as const;
const listLike = { anonymous: '401', noPermission: '403', operator: 'in', resellerIn: 'in', resellerOut: 'in', admin: 'in' } as const;
const adminOnly = all('403');

const nasFor = (ids: Ids, who: Who) => (who === 'resellerOut' ? ids.nasOut : ids.nasIn);
const CASES: Record<string, { input: (ids: Ids, who: Who) => Promise<unknown> | unknown; expect: Record<Who, Outcome> }> = {
  'me.get': {
    input: () => undefined,
    expect: { anonymous: '401', noPermission: 'in', operator: 'in', resellerIn: 'in', resellerOut: 'in', admin: 'in' },
  },
  'nas.list': { input: () => ({}), expect: listLike },
  'nas.unknownDevices': {
    input: () => undefined,
    expect: { anonymous: '401', noPermission: '403', operator: 'in', resellerIn: '403', resellerOut: '403', admin: 'in' },
  },
  'nas.get': { input: (ids, who) => ({ id: nasFor(ids, who) }), expect: view },
  'nas.history': { input: (ids, who) => ({ id: nasFor(ids, who) }), expect: view },
  'nas.pools': { input: (ids, who) => ({ id: nasFor(ids, who) }), expect: view },
  'nas.create': {
    input: () => ({
      name: `authz-${Math.random().toString(36).slice(2)}`,
      ipAddress: `127.0.86.${Math.floor(Math.random() * 250) + 1}`,
      secret: 's3cret-authz',
    }),
    expect: { anonymous: '401', noPermission: '403', operator: '403', resellerIn: 'in', resellerOut: 'in', admin: 'in' },
  },
  'nas.update': {
    input: async (ids, who) => ({ ...(await nasRow(ids, who)), description: 'authz', secret: '', apiPassword: '' }),
    expect: edit,
  },
  'nas.delete': { input: async (ids, who) => ({ id: await ids.fresh(who !== 'resellerOut') }), expect: { ...edit, operator: '403' } },
  'nas.importPools': { input: (ids, who) => ({ id: nasFor(ids, who) }), expect: edit },
  'nas.trustCertificate': { input: (ids, who) => ({ id: nasFor(ids, who), fingerprint: 'none' }), expect: edit },
  'nas.testConnection': { input: (ids, who) => ({ id: nasFor(ids, who) }), expect: edit },
  'nas.diagnostic': {
    input: (ids, who) => ({ id: nasFor(ids, who), tool: 'ping', address: '127.0.0.1', count: 1 }),
    expect: { anonymous: '401', noPermission: '403', operator: '403', resellerIn: 'in', resellerOut: '404', admin: 'in' },
  },
  'users.list': { input: () => undefined, expect: adminOnly },
  'users.roles': { input: () => undefined, expect: adminOnly },
  'users.resellerOptions': { input: () => undefined, expect: adminOnly },
  'users.create': {
    input: () => ({
      email: `authz-${Math.random().toString(36).slice(2)}@e2e.local`,
      password: 'authz-password-1',
      roleId: 2,
      resellerId: null,
    }),
    expect: adminOnly,
  },
  'users.update': {
    input: (ids) => ({ id: ids.userId, name: 'authz', roleId: 2, resellerId: null, isActive: true, password: '' }),
    expect: adminOnly,
  },
  'resellers.list': { input: () => undefined, expect: adminOnly },
  'resellers.get': { input: (ids) => ({ id: ids.resellerId }), expect: adminOnly },
  'resellers.create': { input: () => ({ name: `authz-${Math.random().toString(36).slice(2)}` }), expect: adminOnly },
  'resellers.setAssignment': { input: (ids) => ({ resellerId: ids.resellerId, nasId: ids.nasOut, assigned: false }), expect: adminOnly },
  'plans.list': { input: () => ({}), expect: adminOnly },
  'plans.get': { input: async () => ({ id: await freshPlan() }), expect: adminOnly },
  'plans.formOptions': { input: () => undefined, expect: adminOnly },
  'plans.poolChoices': { input: (ids) => ({ nasId: ids.nasIn }), expect: adminOnly },
  'plans.create': { input: () => planForm(), expect: adminOnly },
  'plans.update': { input: async () => ({ ...planForm(), id: await freshPlan() }), expect: adminOnly },
  'plans.delete': { input: async () => ({ id: await freshPlan() }), expect: adminOnly },
  // The subscriber dialog's plan select: subscribers.create or subscribers.edit (the operator only views).
  'plans.options': {
    input: () => ({}),
    expect: { anonymous: '401', noPermission: '403', operator: '403', resellerIn: 'in', resellerOut: 'in', admin: 'in' },
  },
};

const planForm = () => ({ name: `authz-${Math.random().toString(36).slice(2)}`, downloadRate: '10', uploadRate: '2' });
async function freshPlan(): Promise<number> {
  const [p] = await world.sql`insert into plans (name, download_kbps, upload_kbps) values (${planForm().name}, 10000, 2000) returning id`;
  return p.id;
}

let world: World;
async function nasRow(ids: Ids, who: Who) {
  // The current values as the admin sees them: an update that changes nothing but the description.
  const [n] =
    await world.sql`select id, name, short_name, host(ip_address) as ip, type, description, is_active, auth_port, acct_port, coa_port,
    api_username, api_port, api_ssl_port, use_ssl, api_host, subscriber_pools, allowed_realms from nas_devices where id = ${nasFor(ids, who)}`;
  return {
    id: n.id,
    name: n.name,
    shortName: n.short_name,
    ipAddress: n.ip,
    type: n.type,
    description: n.description,
    isActive: n.is_active,
    authPort: n.auth_port,
    acctPort: n.acct_port,
    coaPort: n.coa_port,
    apiUsername: n.api_username,
    apiPort: n.api_port,
    apiSslPort: n.api_ssl_port,
    useSsl: n.use_ssl,
    apiHost: n.api_host,
    subscriberPools: n.subscriber_pools,
    allowedRealms: n.allowed_realms,
  };
}

function outcomeOf(status: number): Outcome {
  return status === 401 ? '401' : status === 403 ? '403' : status === 404 ? '404' : 'in';
}

async function call(request: APIRequestContext, path: string, type: string, input: unknown) {
  const url = `/api/trpc/${path}`;
  const res =
    type === 'query'
      ? await request.get(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await request.post(url, { data: input ?? {} });
  return { status: res.status(), body: await res.text() };
}

async function signedIn(browser: Browser, user: { email: string; password: string } | null) {
  const context = await browser.newContext();
  if (user) await world.signIn(await context.newPage(), user);
  return context;
}

test('every procedure × every kind of caller, over HTTP', async ({ browser, world: w }) => {
  test.setTimeout(180_000);
  world = w;
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
  expect(
    Object.keys(procedures).filter((p) => !(p in CASES)),
    'procedures without a row in the matrix',
  ).toEqual([]);

  const reseller = await w.createReseller();
  const nasIn = await w.createNas({ resellerId: reseller.id, ip: `127.0.85.${Math.floor(Math.random() * 200) + 1}` });
  const nasOut = await w.createNas({});
  const [emptyRole] = await w.sql`insert into roles (name, permissions) values (${w.unique('no-permissions')}, '{}') returning id`;
  const noPermission = await w.createUser({ role: 'operator' });
  await w.sql`update users set role_id = ${emptyRole.id} where id = ${noPermission.id}`;
  const target = await w.createUser({ role: 'operator' });
  const ids: Ids = {
    nasIn: nasIn.id,
    nasOut: nasOut.id,
    resellerId: reseller.id,
    userId: target.id,
    fresh: async (inScope) => (await w.createNas(inScope ? { resellerId: reseller.id } : {})).id,
  };
  const users: Record<Who, { email: string; password: string } | null> = {
    anonymous: null,
    noPermission,
    operator: await w.createUser({ role: 'operator' }),
    resellerIn: await w.createUser({ role: 'reseller', resellerId: reseller.id }),
    resellerOut: null, // the same reseller user, acting on a NAS that is not assigned to it
    admin: await w.createUser({ role: 'admin' }),
  };
  const contexts = new Map<Who, APIRequestContext>();
  for (const who of WHO) {
    if (who === 'resellerOut') continue;
    contexts.set(who, (await signedIn(browser, users[who])).request);
  }
  contexts.set('resellerOut', contexts.get('resellerIn')!);

  const mismatches: string[] = [];
  for (const [path, { input, expect: expected }] of Object.entries(CASES)) {
    for (const who of WHO) {
      const r = await call(contexts.get(who)!, path, procedures[path]._def.type, await input(ids, who));
      const got = outcomeOf(r.status);
      if (got !== expected[who]) mismatches.push(`${path} as ${who}: expected ${expected[who]}, got ${r.status} ${r.body.slice(0, 160)}`);
      // Whatever the answer, nothing internal in it.
      expect(r.body, `${path} as ${who}`).not.toMatch(/\bselect\b.*\bfrom\b|\bat \/|node_modules|stack/i);
    }
  }
  expect(mismatches).toEqual([]);
});

test('ids beyond the column range and control characters are a 400 naming the field, never a 500 with SQL', async ({ adminPage: page }) => {
  const get = await page.request.get(`/api/trpc/nas.get?input=${encodeURIComponent(JSON.stringify({ id: 2147483648 }))}`);
  expect(get.status()).toBe(400);
  expect(await get.text()).toContain('NAS id must be between 1 and 2147483647');
  const list = await page.request.get(`/api/trpc/nas.list?input=${encodeURIComponent(JSON.stringify({ search: 'a\u0000b' }))}`);
  expect(list.status()).toBe(400);
  const body = await list.text();
  expect(body).toContain('Search must not contain control characters');
  expect(body).not.toMatch(/select|nas_devices|invalid byte sequence/i);
});
