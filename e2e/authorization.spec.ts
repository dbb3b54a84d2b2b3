import type { APIRequestContext, Browser } from '@playwright/test';
import { appRouter } from '../src/server/api/root';
import { encryptSecret } from '../src/server/crypto/secret-box';
import { subscriberPasswordBinding } from '../src/server/radius-service/subscribers';
import { stagingPasswordBinding } from '../src/server/services/subscribers/subscriber-import-upload';
import { expect, test, type World } from './fixtures';

/**
 * Every procedure of the app × every kind of caller, over HTTP against the running panel, with real
 * sign-ins. The procedure list comes from the router itself: a new procedure without a row below fails here.
 *
 * Outcome classes: 401 (not signed in), 403 (missing permission), 404 (out of scope: as if it did not
 * exist), 400 (out of scope, refused as the form's field error: "NAS not found" under the NAS select), or
 * "in" (authorization passed; the call may still fail for its own reasons, e.g. an unreachable router or a
 * 400 of its own, which is not an authorization answer).
 */
type Who = 'anonymous' | 'noPermission' | 'operator' | 'resellerIn' | 'resellerOut' | 'admin';
type Outcome = '400' | '401' | '403' | '404' | 'in';
const WHO: Who[] = ['anonymous', 'noPermission', 'operator', 'resellerIn', 'resellerOut', 'admin'];

interface Ids {
  nasIn: number; // assigned to the reseller
  nasOut: number; // assigned to nobody
  resellerId: number;
  userId: number;
  fresh: (inScope: boolean) => Promise<number>; // a NAS a mutation may consume
  planId: number; // offered to the reseller
  // A subscriber a mutation may consume: the reseller's on nasIn, or another reseller's (on nasOut) when out of scope.
  subscriber: (inScope: boolean) => Promise<{ id: number; username: string; nasId: number; resellerId: number }>;
  // A checked CSV import (one staged row) a mutation may consume: the reseller's own, or another reseller's.
  subscriberImport: (inScope: boolean) => Promise<number>;
  // An open session a mutation may consume: on nasIn, or on nasOut (another reseller's view) when out of scope.
  session: (inScope: boolean) => Promise<number>;
  // A live plan change started by the reseller (its subscriber), or by an admin for another reseller's subscriber.
  planPush: (inScope: boolean) => Promise<number>;
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
const inScope = (who: Who) => who !== 'resellerOut';
const subscriberUpdate = async (ids: Ids, who: Who) => {
  const s = await ids.subscriber(inScope(who));
  // Everything as stored but Enabled: an edit the guard does not judge, so only the scope decides.
  return { ...s, planId: ids.planId, staticIp: null, enabled: false, password: '' };
};
// subscribers.* and subscriberImports.*: subscribers.view for reads (the operator only looks), .create for
// imports, .edit/.delete for writes (so `edit` for those); `nas.all` (admin, operator) sees every subscriber,
// a reseller its own reseller's.
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
  'subscribers.list': { input: () => ({}), expect: listLike },
  'subscribers.formOptions': { input: () => undefined, expect: listLike },
  'subscribers.get': { input: async (ids, who) => ({ id: (await ids.subscriber(inScope(who))).id }), expect: view },
  'subscribers.create': {
    input: (ids, who) => ({
      username: `authz-${Math.random().toString(36).slice(2)}`,
      password: 'authz-subscriber-1',
      nasId: nasFor(ids, who),
      planId: ids.planId,
    }),
    // Out of scope is the NAS here (nasOut is not assigned to the reseller): the guard sits in the insert's
    // statement and answers the form's field error, "NAS not found" under the NAS select, as for a NAS that
    // does not exist; so 400, not 404, and never a 200.
    expect: { ...edit, resellerOut: '400' },
  },
  'subscribers.update': { input: subscriberUpdate, expect: edit },
  'subscribers.delete': { input: async (ids, who) => ({ id: (await ids.subscriber(inScope(who))).id }), expect: edit },
  // Imports need subscribers.create (the operator has none); a reseller sees its own reseller's imports.
  'subscriberImports.list': { input: () => ({}), expect: { ...listLike, operator: '403' } },
  'subscriberImports.get': { input: async (ids, who) => ({ id: await ids.subscriberImport(inScope(who)) }), expect: edit },
  'subscriberImports.start': { input: async (ids, who) => ({ id: await ids.subscriberImport(inScope(who)) }), expect: edit },
  'subscriberImports.discard': { input: async (ids, who) => ({ id: await ids.subscriberImport(inScope(who)) }), expect: edit },
  // sessions.view for reads (operator, reseller, admin); closing by hand needs sessions.disconnect (not the
  // operator). A session is in scope when its NAS is: another reseller's is 404.
  'sessions.list': { input: () => ({}), expect: listLike },
  'sessions.nasOptions': { input: () => undefined, expect: listLike },
  'sessions.get': { input: async (ids, who) => ({ id: await ids.session(inScope(who)) }), expect: view },
  'sessions.close': { input: async (ids, who) => ({ id: await ids.session(inScope(who)) }), expect: edit },
  // Disconnect, rate change and the live plan change act on sessions: sessions.disconnect, the session's (or the
  // subscriber's) NAS in scope. The sessions are on NAS with nothing listening: CoA gets no answer, the answer is
  // a 200 saying so ("in").
  'sessionControl.disconnect': { input: async (ids, who) => ({ id: await ids.session(inScope(who)) }), expect: edit },
  'sessionControl.changeRate': { input: async (ids, who) => ({ id: await ids.session(inScope(who)) }), expect: edit },
  // A count in the actor's scope: another reseller's subscriber gives 0 sessions, as an unknown id does.
  'sessionControl.planPushCount': {
    input: async (ids, who) => ({ subscriberId: (await ids.subscriber(inScope(who))).id }),
    expect: { ...edit, resellerOut: 'in' },
  },
  'sessionControl.startPlanPush': { input: async (ids, who) => ({ subscriberId: (await ids.subscriber(inScope(who))).id }), expect: edit },
  'sessionControl.planPush': { input: async (ids, who) => ({ id: await ids.planPush(inScope(who)) }), expect: edit },
  // Live Torch (subscriptions, read from their event stream): a session's traffic is sessions.view; an
  // interface's is nas.diagnose like ping (the operator has neither diagnose nor, here, a reason to see an uplink).
  'torch.session': { input: async (ids, who) => ({ id: await ids.session(inScope(who)) }), expect: view },
  'torch.interface': {
    input: (ids, who) => ({ id: nasFor(ids, who), interface: 'ether1' }),
    expect: { anonymous: '401', noPermission: '403', operator: '403', resellerIn: 'in', resellerOut: '404', admin: 'in' },
  },
  'nasDashboard.get': { input: (ids, who) => ({ id: nasFor(ids, who) }), expect: view },
  'diagnostics.nslookup': {
    input: (ids, who) => ({ id: nasFor(ids, who), name: 'example.com' }),
    expect: { anonymous: '401', noPermission: '403', operator: '403', resellerIn: 'in', resellerOut: '404', admin: 'in' },
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

/** "in" is any answer but an authorization one (a 400 of the call's own included); the others are exact. */
function matches(expected: Outcome, status: number): boolean {
  return expected === 'in' ? ![401, 403, 404].includes(status) : String(status) === expected;
}

async function call(request: APIRequestContext, path: string, type: string, input: unknown) {
  if (type === 'subscription') return subscribe(request, path, input);
  const url = `/api/trpc/${path}`;
  const res =
    type === 'query'
      ? await request.get(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await request.post(url, { data: input ?? {} });
  return { status: res.status(), body: await res.text() };
}

/**
 * A subscription answers 200 with an event stream whatever happens; a refusal is its first event
 * (`serialized-error`, carrying the HTTP status it stands for). Read until the first event that is not the
 * stream's own (connected, ping), then hang up: a running torch would stream for minutes.
 */
async function subscribe(request: APIRequestContext, path: string, input: unknown) {
  const { cookies } = await request.storageState();
  const aborter = new AbortController();
  const timer = setTimeout(() => aborter.abort(), 20_000);
  let text = '';
  try {
    const res = await fetch(`${test.info().project.use.baseURL}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '), accept: 'text/event-stream' },
      signal: aborter.signal,
    });
    if (!res.headers.get('content-type')?.includes('text/event-stream')) return { status: res.status, body: await res.text() };
    const reader = res.body!.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { status: res.status, body: text };
      text += new TextDecoder().decode(value);
      const blocks = text.split('\n\n').slice(0, -1);
      for (const block of blocks) {
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'serialized-error' && data) return { status: JSON.parse(data).data?.httpStatus ?? 500, body: data };
        if (event === 'message') return { status: res.status, body: data ?? '' };
      }
    }
  } finally {
    clearTimeout(timer);
    aborter.abort();
  }
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
  const other = await w.createReseller();
  const [plan] =
    await w.sql`insert into plans (name, download_kbps, upload_kbps) values (${planForm().name}, 10000, 2000) returning id, name`;
  await w.sql`insert into plan_resellers (plan_id, reseller_id) values (${plan.id}, ${reseller.id}), (${plan.id}, ${other.id})`;
  const resellerUser = await w.createUser({ role: 'reseller', resellerId: reseller.id });
  const admin = await w.createUser({ role: 'admin' });
  const ids: Ids = {
    nasIn: nasIn.id,
    nasOut: nasOut.id,
    resellerId: reseller.id,
    userId: target.id,
    fresh: async (inScope) => (await w.createNas(inScope ? { resellerId: reseller.id } : {})).id,
    planId: plan.id,
    subscriber: async (inScope) => {
      const [resellerId, nasId] = inScope ? [reseller.id, nasIn.id] : [other.id, nasOut.id];
      const username = w.unique('authz-sub');
      // The id first: the password's ciphertext is bound to its row, as the panel writes it.
      const [{ id }] = await w.sql`select nextval(pg_get_serial_sequence('subscribers', 'id'))::int as id`;
      const passwordEnc = encryptSecret('authz-subscriber-1', subscriberPasswordBinding(id));
      await w.sql`insert into subscribers (id, username, reseller_id, nas_id, plan_id, password_enc)
        values (${id}, ${username}, ${resellerId}, ${nasId}, ${plan.id}, ${passwordEnc})`;
      return { id, username, nasId, resellerId };
    },
    // As the upload's dry run leaves it: the reseller's own upload, or one an admin made for the other reseller.
    subscriberImport: async (inScope) => {
      const [createdBy, resellerId] = inScope ? [resellerUser.id, reseller.id] : [admin.id, other.id];
      const [imp] = await w.sql`insert into subscriber_imports (created_by, reseller_id, file_name, state, total_rows)
        values (${createdBy}, ${resellerId}, 'subscribers.csv', 'checked', 1) returning id`;
      await w.sql`insert into subscriber_import_rows (import_id, line, username, password_enc, plan, nas, static_ip, enabled)
        values (${imp.id}, 2, ${w.unique('authz-imp')}, ${encryptSecret('authz-import-1', stagingPasswordBinding(imp.id, 2))},
          ${plan.name}, ${inScope ? nasIn.name : nasOut.name}, '', '')`;
      return imp.id;
    },
    session: async (inScope) => {
      const [r] = await w.sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime)
        values (${w.unique('authz-s')}, ${w.unique('authz-u')}, ${w.unique('authz-user')}, ${inScope ? nasIn.ip : nasOut.ip}, now(), now())
        returning radacctid`;
      return Number(r.radacctid);
    },
    planPush: async (inScope) => {
      const [createdBy, resellerId] = inScope ? [resellerUser.id, reseller.id] : [admin.id, other.id];
      const [push] = await w.sql`insert into plan_pushes (created_by, reseller_id, plan_id, state, total)
        values (${createdBy}, ${resellerId}, ${plan.id}, 'done', 0) returning id`;
      return push.id;
    },
  };
  const users: Record<Who, { email: string; password: string } | null> = {
    anonymous: null,
    noPermission,
    operator: await w.createUser({ role: 'operator' }),
    resellerIn: resellerUser,
    resellerOut: null, // the same reseller user, acting on a NAS or subscriber out of its scope
    admin,
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
      if (!matches(expected[who], r.status))
        mismatches.push(`${path} as ${who}: expected ${expected[who]}, got ${r.status} ${r.body.slice(0, 160)}`);
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
