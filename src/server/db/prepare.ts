import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { SEEDED_ROLES } from '@/lib/permissions';
import { hashPassword } from '@/server/auth/password';
import { ADVISORY_LOCKS } from './advisory-locks';
import { db, sqlClient } from './client';
import { roles, users } from './schema';

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'src/server/db/migrations');


export interface PrepareResult {
  generatedAdmin?: { email: string; password: string };
}

/** Apply committed migrations, then seed roles and the first admin. Safe to run on every start. */
export async function prepareDatabase(opts: { migrationsFolder?: string } = {}): Promise<PrepareResult> {
  // A session-level lock on a reserved connection: drizzle's migrator opens its own transaction.
  const lockConn = await sqlClient().reserve();
  try {
    await lockConn`select pg_advisory_lock(${ADVISORY_LOCKS.prepare})`;
    await migrate(db(), { migrationsFolder: opts.migrationsFolder ?? MIGRATIONS_FOLDER });
    return await seed();
  } finally {
    await lockConn`select pg_advisory_unlock(${ADVISORY_LOCKS.prepare})`.catch(() => {});
    lockConn.release();
  }
}

async function seed(): Promise<PrepareResult> {
  return db().transaction(async (tx) => {
    for (const r of SEEDED_ROLES) {
      await tx.insert(roles).values(r).onConflictDoNothing({ target: roles.name });
    }
    const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
    if (count > 0) return {};
    const email = process.env.ADMIN_EMAIL?.trim() || 'admin@nas-panel.local';
    const provided = process.env.ADMIN_PASSWORD;
    const password = provided && provided.length > 0 ? provided : randomBytes(12).toString('base64url');
    const [admin] = await tx.select({ id: roles.id }).from(roles).where(sql`${roles.name} = 'admin'`);
    await tx.insert(users).values({ email, name: 'Administrator', passwordHash: await hashPassword(password), roleId: admin.id });
    return provided ? {} : { generatedAdmin: { email, password } };
  });
}
