import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/auth/actor';
import { makeSubscriber } from '@/server/radius-service/test-support';
import { callerFor, makeNas, makeReseller, makeRole, makeUser, uid } from '@/test/fixtures';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}

const form = () => ({ name: uid('plan'), downloadRate: '20', downloadUnit: 'M' as const, uploadRate: '5', uploadUnit: 'M' as const });

let admin: Actor;
let nasId: number;
const who: Record<string, Actor | null> = {};

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  nasId = (await makeNas(admin)).id;
  const resellerId = await makeReseller();
  Object.assign(who, {
    anonymous: null,
    noRole: await makeUser({ role: await makeRole([]) }),
    operator: await makeUser({ role: 'operator' }),
    reseller: await makeUser({ role: 'reseller', resellerId }),
    editOnly: await makeUser({ role: await makeRole(['subscribers.edit']), resellerId }),
    admin,
  });
});

describe('permission matrix: plans.manage for everything but options', () => {
  const fresh = async () => (await callerFor(admin).plans.create(form())).id;
  const calls: Record<string, (a: Actor | null) => Promise<unknown>> = {
    list: (a) => callerFor(a).plans.list({}),
    get: async (a) => callerFor(a).plans.get({ id: await fresh() }),
    formOptions: (a) => callerFor(a).plans.formOptions(),
    poolChoices: (a) => callerFor(a).plans.poolChoices({ nasId }),
    create: (a) => callerFor(a).plans.create(form()),
    update: async (a) => callerFor(a).plans.update({ ...form(), id: await fresh() }),
    delete: async (a) => callerFor(a).plans.delete({ id: await fresh() }),
    options: (a) => callerFor(a).plans.options({}),
  };
  const manage = {
    anonymous: 'UNAUTHORIZED',
    noRole: 'FORBIDDEN',
    operator: 'FORBIDDEN',
    reseller: 'FORBIDDEN',
    editOnly: 'FORBIDDEN',
    admin: 'OK',
  };
  const expected: Record<string, Record<string, string>> = {
    list: manage,
    get: manage,
    formOptions: manage,
    poolChoices: manage,
    create: manage,
    update: manage,
    delete: manage,
    // subscribers.create or subscribers.edit: the operator only views subscribers.
    options: { anonymous: 'UNAUTHORIZED', noRole: 'FORBIDDEN', operator: 'FORBIDDEN', reseller: 'OK', editOnly: 'OK', admin: 'OK' },
  };
  for (const [proc, cases] of Object.entries(expected)) {
    for (const [name, code] of Object.entries(cases)) {
      it(`${proc} as ${name} → ${code}`, async () => {
        expect(await codeOf(calls[proc](who[name]))).toBe(code);
      });
    }
  }
});

describe('errors at the edge', () => {
  it('a bad form is BAD_REQUEST with field errors naming the inputs', async () => {
    const e = await callerFor(admin)
      .plans.create({ ...form(), downloadRate: 'x', burstTimeS: '5' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TRPCError);
    expect((e as TRPCError).code).toBe('BAD_REQUEST');
    expect((e as TRPCError).message).toBe('Download rate must be a number such as 10 or 1.5');
  });

  it('a missing plan is NOT_FOUND, a duplicate name CONFLICT, a plan in use CONFLICT', async () => {
    const c = callerFor(admin);
    expect(await codeOf(c.plans.get({ id: 1_999_999 }))).toBe('NOT_FOUND');
    expect(await codeOf(c.plans.delete({ id: 1_999_999 }))).toBe('NOT_FOUND');
    const f = form();
    await c.plans.create(f);
    expect(await codeOf(c.plans.create(f))).toBe('CONFLICT');
    const { id } = await c.plans.create(form());
    await makeSubscriber({ username: uid('s'), password: 'pw', planId: id });
    expect(await codeOf(c.plans.delete({ id }))).toBe('CONFLICT');
  });
});
