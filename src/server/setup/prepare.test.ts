import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { prepareDatabase } from './prepare';
import { pgError } from '@/server/db/pg-error';
import { auditLog } from '@/server/db/schema';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e) => pgError(e),
  );

describe('prepareDatabase', () => {
  it('is idempotent and keeps one admin', async () => {
    await prepareDatabase();
    await Promise.all([prepareDatabase(), prepareDatabase()]);
    const rows = await db().execute(sql`select count(*)::int as n from users`);
    expect(rows[0].n).toBe(1);
  });

  it('makes audit_log append-only', async () => {
    const [row] = await db().insert(auditLog).values({ action: 'test', entityType: 'nas', summary: 'x' }).returning();
    expect((await failure(db().execute(sql`update audit_log set summary = 'y' where id = ${row.id}`)))?.message).toMatch(/append-only/);
    expect((await failure(db().execute(sql`delete from audit_log where id = ${row.id}`)))?.message).toMatch(/append-only/);
  });

  it('compares NAS IPv6 addresses canonically', async () => {
    await db().execute(sql`insert into nas_devices (name, ip_address) values ('a', '2001:db8::1')`);
    const err = await failure(db().execute(sql`insert into nas_devices (name, ip_address) values ('b', '2001:0db8:0:0::0001')`));
    expect(err?.constraint_name).toBe('nas_devices_ip_uq');
  });
});
