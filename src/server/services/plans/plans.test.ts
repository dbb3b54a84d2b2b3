import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZCreatePlanInput, ZUpdatePlanInput, type PlanFormValues } from '@/lib/schemas/plans';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { ConflictError, FieldConflictError, FieldError, NotFoundError } from '@/server/errors';
import { makeSubscriber } from '@/server/radius-service/test-support';
import { assign, callerFor, makeNas, makeReseller, makeUser, uid } from '@/test/fixtures';
import { createPlan } from './create-plan';
import { deletePlan } from './delete-plan';
import { getPlan, listPlans } from './list-plans';
import { offerablePlans } from './offerable-plans';
import { poolChoices } from './pool-choices';
import { updatePlan } from './update-plan';

const form = (over: Partial<PlanFormValues> = {}): PlanFormValues => ({
  name: uid('plan'),
  downloadRate: '50',
  downloadUnit: 'M',
  uploadRate: '10',
  uploadUnit: 'M',
  ...over,
});
const create = (actor: Actor, over: Partial<PlanFormValues> = {}) => createPlan(actor, ZCreatePlanInput.parse(form(over)));

/** Every update sends the whole form, as the dialog does. */
async function update(actor: Actor, id: number, over: Partial<PlanFormValues>) {
  const cur = await getPlan(id);
  return updatePlan(
    actor,
    ZUpdatePlanInput.parse({
      id,
      name: cur.name,
      downloadRate: cur.downloadKbps,
      downloadUnit: 'k',
      uploadRate: cur.uploadKbps,
      uploadUnit: 'k',
      filterId: cur.filterId,
      framedPool: cur.framedPool,
      defaultNasId: cur.defaultNas?.id ?? null,
      resellerIds: cur.resellers.map((r) => r.id),
      ...over,
    }),
  );
}

async function auditOf(id: number) {
  return db().execute<{ action: string; summary: string; changes: Record<string, { from: unknown; to: unknown }>; actor_email: string }>(
    sql`select action, summary, changes, actor_email from audit_log where entity_type = 'plan' and entity_id = ${id} order by id`,
  );
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

let admin: Actor;
let nasId: number;
let nasName: string;

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  const nas = await makeNas(admin, { subscriberPools: 'hint-pool, ppp-main' });
  nasId = nas.id;
  nasName = nas.name;
  // Imported pools: many addresses in few pools.
  await db().execute(sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address)
    select ${nasId}, case when g % 2 = 0 then 'ppp-main' else 'ppp-vip' end, ('10.200.0.0'::inet + g) from generate_series(1, 400) g`);
});

describe('create, update, delete', () => {
  it('creates a plan with its resellers and audits it in the same transaction', async () => {
    const r1 = await makeReseller();
    const r2 = await makeReseller();
    const { id } = await create(admin, { name: 'Gold 100', downloadRate: '100', resellerIds: [r2, r1], filterId: 'GOLD' });
    const plan = await getPlan(id);
    expect(plan).toMatchObject({ name: 'Gold 100', downloadKbps: 100_000, uploadKbps: 10_000, filterId: 'GOLD', subscriberCount: 0 });
    expect(plan.resellers.map((r) => r.id).sort()).toEqual([r1, r2].sort());
    const [entry] = await auditOf(id);
    expect(entry).toMatchObject({ action: 'plan.create', summary: 'created plan Gold 100', actor_email: admin.email });
    expect(entry.changes.downloadKbps).toEqual({ from: null, to: 100_000 });
  });

  it('refuses a duplicate name as a field error, and writes nothing', async () => {
    const name = uid('dup');
    await create(admin, { name });
    const e = await rejection(create(admin, { name }));
    expect(e).toBeInstanceOf(FieldConflictError);
    expect(e).toMatchObject({ field: 'name', message: `a plan named ${name} already exists` });
    const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from plans where name = ${name}`);
    expect(n).toBe(1);
  });

  it('refuses a reseller that does not exist, naming it', async () => {
    const e = await rejection(create(admin, { resellerIds: [987654] }));
    expect(e).toBeInstanceOf(FieldError);
    expect(e).toMatchObject({ field: 'resellerIds', message: 'Resellers: reseller #987654 does not exist' });
  });

  it('updates what changed, offers the plan to a new reseller set, and audits from → to', async () => {
    const r1 = await makeReseller();
    const r2 = await makeReseller();
    const { id } = await create(admin, { resellerIds: [r1] });
    const before = await getPlan(id);
    const out = await update(admin, id, { downloadRate: '200', downloadUnit: 'M', resellerIds: [r2] });
    expect(out.changedFields.sort()).toEqual(['downloadKbps', 'resellerIds']);
    const after = await getPlan(id);
    expect(after.downloadKbps).toBe(200_000);
    expect(after.resellers.map((r) => r.id)).toEqual([r2]);
    const entries = await auditOf(id);
    expect(entries.map((e) => e.action)).toEqual(['plan.create', 'plan.update']);
    expect(entries[1].changes).toEqual({
      downloadKbps: { from: before.downloadKbps, to: 200_000 },
      resellerIds: { from: [r1], to: [r2] },
    });
    // The same form again changes nothing and records nothing.
    expect((await update(admin, id, {})).changedFields).toEqual([]);
    expect(await auditOf(id)).toHaveLength(2);
  });

  it('updating a plan that does not exist is not found', async () => {
    await expect(updatePlan(admin, ZUpdatePlanInput.parse({ ...form(), id: 2_000_000 }))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to delete a plan subscribers use, with the count, and deletes it once they are gone', async () => {
    const { id } = await create(admin);
    const names = [uid('s'), uid('s'), uid('s')];
    for (const username of names) await makeSubscriber({ username, password: 'pw', planId: id });
    const e = await rejection(deletePlan(admin, id));
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.message).toMatch(/^cannot delete plan .+: 3 subscribers use it; move them to another plan first$/);
    expect((await getPlan(id)).subscriberCount).toBe(3);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['plan.create']);

    await db().execute(sql`delete from subscribers where plan_id = ${id}`);
    await deletePlan(admin, id);
    await expect(getPlan(id)).rejects.toBeInstanceOf(NotFoundError);
    const entries = await auditOf(id);
    expect(entries.map((a) => a.action)).toEqual(['plan.create', 'plan.delete']);
  });

  it('lists plans paged in SQL with their default NAS, resellers and subscriber counts, searchable', async () => {
    const tag = uid('listed');
    const r = await makeReseller();
    const { id } = await create(admin, { name: `${tag}-b`, defaultNasId: nasId, framedPool: 'ppp-vip', resellerIds: [r] });
    await create(admin, { name: `${tag}-a`, filterId: `${tag}-class` });
    await makeSubscriber({ username: uid('s'), password: 'pw', planId: id });
    const page = await listPlans({ search: tag, limit: 1, offset: 1 });
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      name: `${tag}-b`,
      defaultNas: { id: nasId, name: nasName },
      framedPool: 'ppp-vip',
      subscriberCount: 1,
    });
    expect(page.items[0].resellers.map((x) => x.id)).toEqual([r]);
    expect((await listPlans({ search: `${tag}-class`, limit: 10, offset: 0 })).items.map((p) => p.name)).toEqual([`${tag}-a`]);
    // LIKE wildcards are literal.
    expect((await listPlans({ search: '%', limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('Framed-Pool from the default NAS', () => {
  it("offers the NAS's imported pools and its Subscriber Pools hint", async () => {
    const c = await poolChoices(admin, nasId);
    expect(c.nasName).toBe(nasName);
    expect(c.choices).toEqual([
      { name: 'hint-pool', imported: false, hinted: true },
      { name: 'ppp-main', imported: true, hinted: true },
      { name: 'ppp-vip', imported: true, hinted: false },
    ]);
  });

  it('accepts an imported pool and a hinted one, refuses any other with a field error on framedPool', async () => {
    await expect(create(admin, { defaultNasId: nasId, framedPool: 'ppp-vip' })).resolves.toBeDefined();
    await expect(create(admin, { defaultNasId: nasId, framedPool: 'hint-pool' })).resolves.toBeDefined();
    const name = uid('bad-pool');
    const e = await rejection(create(admin, { name, defaultNasId: nasId, framedPool: 'nowhere' }));
    expect(e).toBeInstanceOf(FieldError);
    expect(e).toMatchObject({ field: 'framedPool' });
    expect(e.message).toBe(`Framed-Pool "nowhere" is not a pool of NAS ${nasName}; choose one of: hint-pool, ppp-main, ppp-vip`);
    const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from plans where name = ${name}`);
    expect(n).toBe(0);
  });

  it('says what to do when the NAS has no pools at all', async () => {
    const bare = await makeNas(admin);
    const e = await rejection(create(admin, { defaultNasId: bare.id, framedPool: 'ppp-main' }));
    expect(e).toMatchObject({ field: 'framedPool' });
    expect(e.message).toMatch(/has no imported pools and no Subscriber Pools hint; import its pools or set the hint/);
  });

  it('takes free text without a default NAS, and refuses a default NAS that does not exist', async () => {
    await expect(create(admin, { framedPool: 'any-pool-name' })).resolves.toBeDefined();
    const e = await rejection(create(admin, { defaultNasId: 1_999_999 }));
    expect(e).toMatchObject({ field: 'defaultNasId', message: 'Default NAS: NAS #1999999 not found' });
  });

  it('checks the pool on update too', async () => {
    const { id } = await create(admin, { defaultNasId: nasId, framedPool: 'ppp-main' });
    const e = await rejection(update(admin, id, { framedPool: 'gone' }));
    expect(e).toMatchObject({ field: 'framedPool' });
    expect((await getPlan(id)).framedPool).toBe('ppp-main');
  });
});

describe('plans a subscriber form may offer', () => {
  let resellerA: number;
  let resellerB: number;
  let offeredToA: number;
  let offeredToB: number;
  let offeredToNone: number;
  let nasOfA: number;

  beforeAll(async () => {
    resellerA = await makeReseller();
    resellerB = await makeReseller();
    nasOfA = (await makeNas(admin)).id;
    await assign(resellerA, nasOfA);
    offeredToA = (await create(admin, { resellerIds: [resellerA], defaultNasId: nasOfA })).id;
    // B's plan defaults to a NAS B may not use: B's form must not preselect it.
    offeredToB = (await create(admin, { resellerIds: [resellerB], defaultNasId: nasOfA })).id;
    offeredToNone = (await create(admin)).id;
  });

  const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

  it('gives an admin every plan, with its rates and default NAS', async () => {
    const all = await offerablePlans(admin, {});
    expect(ids(all)).toEqual(expect.arrayContaining([offeredToA, offeredToB, offeredToNone]));
    expect(all.find((p) => p.id === offeredToA)).toMatchObject({ rates: '50 Mbit/s down / 10 Mbit/s up', defaultNasId: nasOfA });
  });

  it("gives an admin who picked a reseller only that reseller's plans", async () => {
    expect(ids(await offerablePlans(admin, { resellerId: resellerA }))).toEqual([offeredToA]);
  });

  it('gives a reseller only the plans offered to it, never a foreign one, whatever reseller id it asks for', async () => {
    const userA = await makeUser({ role: 'reseller', resellerId: resellerA });
    expect(ids(await offerablePlans(userA, {}))).toEqual([offeredToA]);
    expect(ids(await offerablePlans(userA, { resellerId: resellerB }))).toEqual([offeredToA]);
    const userB = await makeUser({ role: 'reseller', resellerId: resellerB });
    const forB = await offerablePlans(userB, {});
    expect(forB).toEqual([expect.objectContaining({ id: offeredToB, defaultNasId: null })]);
  });

  it('gives a reseller-role user without a reseller nothing', async () => {
    const orphan = await makeUser({ role: 'reseller', resellerId: null });
    expect(await offerablePlans(orphan, { resellerId: resellerA })).toEqual([]);
  });

  it('is the same through the procedure', async () => {
    const userA = await makeUser({ role: 'reseller', resellerId: resellerA });
    expect(ids(await callerFor(userA).plans.options())).toEqual([offeredToA]);
    expect(ids(await callerFor(admin).plans.options({ resellerId: resellerB }))).toEqual([offeredToB]);
    await expect(callerFor(userA).plans.options({ resellerId: 0 })).rejects.toBeInstanceOf(TRPCError);
  });
});
