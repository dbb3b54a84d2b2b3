import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { env } from '@/env';
import { stopAllListeners } from './listen';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

// One pool per process, created on first use so scripts and tests can set DATABASE_URL first.
// Next's dev server re-evaluates modules; keeping it on globalThis avoids leaking pools on every reload.
const g = globalThis as unknown as { __nasPanelDb?: { db: Db; sql: postgres.Sql } };

export function sqlClient(): postgres.Sql {
  return connection().sql;
}

export function db(): Db {
  return connection().db;
}

function connection() {
  if (!g.__nasPanelDb) {
    const sql = postgres(env().DATABASE_URL, {
      max: env().DB_POOL_MAX,
      onnotice: () => {},
      // inet/timestamptz come back as strings / Dates through drizzle's own mappers.
    });
    g.__nasPanelDb = {
      sql,
      db: drizzle(preparedByDefault(sql), { schema, logger: { logQuery: (query, params) => queryWatcher?.(query, params) } }),
    };
  }
  return g.__nasPanelDb;
}

/**
 * The client drizzle runs on, with its statements prepared. Drizzle asks postgres.js for `prepare: false` unless a
 * query is given a name, and postgres.js then describes every statement that has parameters in a round trip of
 * its own before running it (Parse + Describe, wait, then Bind + Execute), and sends nothing else on that
 * connection meanwhile. Prepared, a statement is described once per connection and each later call is one round
 * trip: on the NAS list under 50 clients the socket writes of those extra round trips were ~10 % of the panel's
 * CPU (docs/BENCHMARKS.md, figure 2). postgres.js prepares its own tagged-template queries the same way by
 * default, caching them per connection, and retires connections after 30-60 min (`max_lifetime`), which bounds
 * the cache. Transactions (`db().transaction`) run on postgres.js's transaction client and stay as drizzle sends
 * them.
 */
export function preparedByDefault(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params, { ...options, prepare: true });
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

let queryWatcher: ((query: string, params: unknown[]) => void) | null = null;

/**
 * Sees every statement the services send through drizzle, with its parameters, until called with null. For
 * the benchmark, which runs a service's very statement directly to measure the floor under it.
 */
export function watchQueries(watcher: ((query: string, params: unknown[]) => void) | null) {
  queryWatcher = watcher;
}

export async function closeDb() {
  await stopAllListeners();
  const c = g.__nasPanelDb;
  g.__nasPanelDb = undefined;
  if (c) await c.sql.end({ timeout: 5 });
}
