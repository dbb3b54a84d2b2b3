import { z } from 'zod';
import { singleLine, zId } from './common';

/**
 * The Sessions page's inputs, shared by the page and the procedures. A session is a radacct row, whose id
 * (radacctid) is a bigint: ids stay within JavaScript's safe integers.
 */
export const zSessionId = z
  .number({ error: (issue) => (issue.input === undefined ? 'Session id is required' : 'Session id must be a number') })
  .int('Session id must be a whole number')
  .min(1, 'Session id must be a positive whole number')
  .max(Number.MAX_SAFE_INTEGER, 'Session id is too large');

export const ZSessionId = z.object({ id: zSessionId });

/**
 * Keyset paging: the last row of the previous page, as its sort key (start in microseconds since the epoch, 0
 * for a session without a start, then its id). Exact to the microsecond PostgreSQL stores, so no row is skipped
 * or repeated at a page boundary, whatever opens or closes meanwhile.
 */
export const ZSessionCursor = z.object({
  start: z.number().int('Cursor start must be a whole number').min(0).max(Number.MAX_SAFE_INTEGER),
  id: zSessionId,
});

export const ZListSessionsInput = z.object({
  /** The start of a username (any case), a Framed-IP address or a MAC (Calling-Station-Id). */
  search: singleLine('Search', 128).default(''),
  nasId: zId('NAS').nullable().default(null),
  limit: z.number().int().min(1).max(200).default(50),
  after: ZSessionCursor.nullable().default(null),
});

export type ListSessionsInput = z.infer<typeof ZListSessionsInput>;
export type SessionCursor = z.infer<typeof ZSessionCursor>;
