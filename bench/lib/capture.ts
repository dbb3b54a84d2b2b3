import type postgres from 'postgres';
import { sqlClient, watchQueries } from '../../src/server/db/client';

export interface CapturedQuery {
  query: string;
  params: unknown[];
}

/**
 * The floor of a service is the very statement it sends, run directly with postgres.js: `capture` records
 * the statements a call sends, through the client's query watcher.
 */
export function installQueryCapture(): { sql: postgres.Sql; capture(fn: () => Promise<unknown>): Promise<CapturedQuery[]> } {
  return {
    sql: sqlClient(),
    async capture(fn: () => Promise<unknown>): Promise<CapturedQuery[]> {
      const sink: CapturedQuery[] = [];
      watchQueries((query, params) => sink.push({ query, params }));
      try {
        await fn();
        return sink;
      } finally {
        watchQueries(null);
      }
    },
  };
}
