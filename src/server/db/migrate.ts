import path from 'node:path';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { ADVISORY_LOCKS } from './advisory-locks';
import { db, sqlClient } from './client';

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'src/server/db/migrations');

/**
 * Apply the committed migrations, then run `andThen` under the same lock: several instances may start at
 * once against one PostgreSQL, and only one migrates (and seeds) at a time.
 */
export async function migrateDatabase<T>(andThen: () => Promise<T>, opts: { migrationsFolder?: string } = {}): Promise<T> {
  // A session-level lock on a reserved connection: drizzle's migrator opens its own transaction.
  const lockConn = await sqlClient().reserve();
  try {
    await lockConn`select pg_advisory_lock(${ADVISORY_LOCKS.prepare})`;
    await migrate(db(), { migrationsFolder: opts.migrationsFolder ?? MIGRATIONS_FOLDER });
    return await andThen();
  } finally {
    await lockConn`select pg_advisory_unlock(${ADVISORY_LOCKS.prepare})`.catch(() => {});
    lockConn.release();
  }
}
