import { z } from 'zod';

/** What the browser sees of a CSV import: no staging row, no password, ever. */
export const ZSubscriberImport = z.object({
  id: z.number(),
  fileName: z.string(),
  state: z.enum(['checked', 'invalid', 'queued', 'importing', 'done', 'failed']),
  resellerId: z.number().nullable(),
  resellerName: z.string().nullable(),
  createdBy: z.string().nullable(),
  totalRows: z.number(),
  processedRows: z.number(),
  errorCount: z.number(),
  errors: z.array(z.object({ line: z.number(), field: z.string(), message: z.string() })),
  error: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
