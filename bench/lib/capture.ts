import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../../src/server/db/schema';

export interface CapturedQuery {
  query: string;
  params: unknown[];
}

/**
 * The floor of a service is the very statement it sends, run directly with postgres.js. To get that
 * statement, the bench creates the panel's database client itself (src/server/db/client.ts keeps it on
 * globalThis) with a drizzle logger that records queries while `capture` runs. Must run before anything
 * calls db().
 */
export function installQueryCapture(url: string) {
  const g = globalThis as unknown as { __nasPanelDb?: unknown };
  if (g.__nasPanelDb) throw new Error('the panel database client exists already: install the query capture first');
  const sql = postgres(url, { max: Number(process.env.DB_POOL_MAX ?? 10), onnotice: () => {} });
  let sink: CapturedQuery[] | null = null;
  const db = drizzle(sql, { schema, logger: { logQuery: (query, params) => sink?.push({ query, params }) } });
  g.__nasPanelDb = { sql, db };
  return {
    sql,
    async capture(fn: () => Promise<unknown>): Promise<CapturedQuery[]> {
      sink = [];
      try {
        await fn();
        return sink;
      } finally {
        sink = null;
      }
    },
  };
}
