import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { FieldError } from '@/server/errors';
import { callerFor, makeRole, makeUser, uid } from '@/test/fixtures';

async function outcome(p: Promise<unknown>): Promise<{ code: string; field?: string; message?: string }> {
  try {
    await p;
    return { code: 'OK' };
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, field: e.cause instanceof FieldError ? e.cause.field : undefined, message: e.message };
  }
}

const roleId = async (name: string) => (await db().execute<{ id: number }>(sql`select id from roles where name = ${name}`))[0].id;
const newUser = (role: number) => ({
  email: `${uid('new')}@test.local`,
  name: 'New',
  password: 'long-enough-password',
  roleId: role,
  resellerId: null,
});

let admin: Actor;
let userManager: Actor; // users.manage and read-only NAS and subscriber access (the operator's), nothing more
let managerRole: number;
let operatorRole: number;
let adminRole: number;

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  managerRole = await makeRole(['users.manage', 'nas.view', 'nas.all', 'subscribers.view', 'sessions.view']);
  userManager = await makeUser({ role: managerRole });
  operatorRole = await roleId('operator');
  adminRole = await roleId('admin');
});

describe('users.manage cannot grant more than the granter holds', () => {
  it('creating a user with a role the actor’s permissions cover works', async () => {
    expect((await outcome(callerFor(userManager).users.create(newUser(operatorRole)))).code).toBe('OK');
    expect((await outcome(callerFor(userManager).users.create(newUser(managerRole)))).code).toBe('OK');
  });

  it('creating a user with a role holding more is a field error on roleId, and creates nothing', async () => {
    const input = newUser(adminRole);
    const r = await outcome(callerFor(userManager).users.create(input));
    expect(r).toMatchObject({ code: 'BAD_REQUEST', field: 'roleId' });
    expect(r.message).toBe(
      'You cannot grant the role admin: it has permissions you do not hold (nas.create, nas.edit, nas.delete, nas.diagnose, resellers.manage, subscribers.create, subscribers.edit, subscribers.delete, plans.manage, sessions.disconnect)',
    );
    expect(await db().execute(sql`select 1 from users where email = ${input.email}`)).toHaveLength(0);
  });

  it('moving a user to a role holding more is a field error on roleId, and changes nothing', async () => {
    const { id } = await callerFor(admin).users.create(newUser(operatorRole));
    const r = await outcome(
      callerFor(userManager).users.update({ id, name: 'X', roleId: adminRole, resellerId: null, isActive: true, password: '' }),
    );
    expect(r).toMatchObject({ code: 'BAD_REQUEST', field: 'roleId' });
    expect(r.message).toMatch(/^You cannot grant the role admin: it has permissions you do not hold \(nas\.create/);
    const [row] = await db().execute<{ role_id: number; name: string }>(sql`select role_id, name from users where id = ${id}`);
    expect(row).toEqual({ role_id: operatorRole, name: 'New' });
  });

  it('editing a user who holds permissions the actor lacks is refused, even without touching the role', async () => {
    const { id } = await callerFor(admin).users.create(newUser(adminRole));
    for (const change of [{ name: 'Renamed' }, { password: 'taken-over-password' }, { isActive: false }]) {
      const r = await outcome(
        callerFor(userManager).users.update({
          id,
          name: 'New',
          roleId: adminRole,
          resellerId: null,
          isActive: true,
          password: '',
          ...change,
        }),
      );
      expect(r.code).toBe('FORBIDDEN');
      expect(r.message).toMatch(/^You cannot edit new-.*@test\.local: they hold permissions you do not \(nas\.create/);
    }
    const [row] = await db().execute<{ name: string; is_active: boolean }>(sql`select name, is_active from users where id = ${id}`);
    expect(row).toEqual({ name: 'New', is_active: true });
  });

  it('an admin holding everything may grant and edit anything', async () => {
    const { id } = await callerFor(admin).users.create(newUser(adminRole));
    expect(
      (
        await outcome(
          callerFor(admin).users.update({ id, name: 'A', roleId: operatorRole, resellerId: null, isActive: true, password: '' }),
        )
      ).code,
    ).toBe('OK');
  });

  it('permission names the panel does not know grant nothing, so they are no obstacle', async () => {
    const odd = await makeRole(['nas.view']);
    await db().execute(sql`update roles set permissions = array['nas.view', 'legacy.thing']::text[] where id = ${odd}`);
    expect((await outcome(callerFor(userManager).users.create(newUser(odd)))).code).toBe('OK');
  });
});
