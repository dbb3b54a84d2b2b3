/** A failure to start the embedded PostgreSQL, worded for the operator: what went wrong and what to do. */
export class EmbeddedStartError extends Error {}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
