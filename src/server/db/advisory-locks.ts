import type postgres from 'postgres';

/**
 * Every PostgreSQL advisory-lock key the panel takes, in one place, so no two uses can collide. Single keys
 * are whole-database locks; a class is combined with an id (`pg_advisory_xact_lock(class, id)`).
 */
export const ADVISORY_LOCKS = {
  /** Migrations and seeding at start: one instance at a time. */
  prepare: 7_301_001,
  /** Job runs (src/server/jobs): one instance runs a locked job at a time. */
  heartbeatJob: 7_301_020,
  /** The NAS dashboard's session sampler: one sample per interval across instances. */
  nasSessionSamplerJob: 7_301_021,
} as const;

export const ADVISORY_LOCK_CLASSES = {
  /** Pool imports of one NAS (class, nas id): two at once serialize. */
  poolImport: 7_301_010,
  /** Diagnostics through one NAS (class, nas id): one at a time per router. */
  diagnostic: 7_301_030,
  /** Live Torch on one NAS (class, nas id): held for the torch's life, one per router at a time. */
  torch: 7_301_040,
  /** A live plan change (class, push id): one instance runs a push at a time. */
  planPush: 7_301_050,
} as const;

/**
 * Run `fn` while holding the session-level lock `key` on a reserved connection (not a transaction: the work
 * may take minutes and uses other connections), or return `{ locked: false }` at once when another session
 * holds it. `fn` gets the reserved connection for statements that must run under the lock.
 */
export async function withTryAdvisoryLock<T>(
  sql: postgres.Sql,
  key: number | readonly [lockClass: number, id: number],
  fn: (conn: postgres.ReservedSql) => Promise<T>,
): Promise<{ locked: true; value: T } | { locked: false }> {
  const conn = await sql.reserve();
  const [k1, k2] = typeof key === 'number' ? [key, null] : key;
  try {
    const [{ ok }] =
      k2 === null
        ? await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(${k1}) as ok`
        : await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(${k1}::int4, ${k2}::int4) as ok`;
    if (!ok) return { locked: false };
    try {
      return { locked: true, value: await fn(conn) };
    } finally {
      // If this fails the connection is broken, and PostgreSQL drops a dead session's locks with it.
      await (k2 === null ? conn`select pg_advisory_unlock(${k1})` : conn`select pg_advisory_unlock(${k1}::int4, ${k2}::int4)`).catch(
        () => {},
      );
    }
  } finally {
    conn.release();
  }
}
