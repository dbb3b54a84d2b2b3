import { DrizzleQueryError } from 'drizzle-orm';
import { pgError } from '@/server/db/pg-error';

const MAX = 200;

/**
 * What a failed run leaves in `job_runs.last_error` and the log: one short line. Drizzle's message carries
 * the SQL and its parameters, and PostgreSQL's may quote a value (`invalid input syntax …: "…"`), so a
 * database error is named by its SQLSTATE only.
 */
export function jobErrorText(e: unknown): string {
  const pg = pgError(e);
  if (pg) return `database error ${pg.code}`;
  if (e instanceof DrizzleQueryError) return e.cause ? jobErrorText(e.cause) : 'database query failed';
  const text = (e instanceof Error ? e.message : String(e)).split('\n')[0].trim() || 'unknown error';
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}
