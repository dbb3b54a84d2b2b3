import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { env } from '@/env';
import { SEEDED_ROLES } from '@/lib/permissions';
import { hashPassword } from '@/server/auth/password';
import { db } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { roles, users } from '@/server/db/schema';

export interface PrepareResult {
  generatedAdmin?: { email: string; password: string };
}

/** Apply committed migrations, then seed roles and the first admin. Safe to run on every start. */
export function prepareDatabase(opts: { migrationsFolder?: string } = {}): Promise<PrepareResult> {
  return migrateDatabase(seed, opts);
}

async function seed(): Promise<PrepareResult> {
  return db().transaction(async (tx) => {
    for (const r of SEEDED_ROLES) {
      await tx.insert(roles).values(r).onConflictDoNothing({ target: roles.name });
    }
    const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
    if (count > 0) return {};
    const email = env().ADMIN_EMAIL;
    const provided = env().ADMIN_PASSWORD;
    const password = provided && provided.length > 0 ? provided : randomBytes(12).toString('base64url');
    const [admin] = await tx
      .select({ id: roles.id })
      .from(roles)
      .where(sql`${roles.name} = 'admin'`);
    await tx.insert(users).values({ email, name: 'Administrator', passwordHash: await hashPassword(password), roleId: admin.id });
    return provided ? {} : { generatedAdmin: { email, password } };
  });
}
