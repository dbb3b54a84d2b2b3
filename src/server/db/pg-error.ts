/** The PostgreSQL error behind a query failure; drizzle wraps it in `cause`. */
export interface PgError {
  code: string;
  message: string;
  constraint_name?: string;
}

export function pgError(e: unknown): PgError | null {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const c = cur as Partial<PgError>;
    if (typeof c.code === 'string' && /^[0-9A-Z]{5}$/.test(c.code)) return c as PgError;
  }
  return null;
}
