import { z } from 'zod';

/** The answer to Disconnect or a rate change: did it happen, by which path, and one sentence saying why. */
export const ZControlOutcome = z.object({
  ok: z.boolean(),
  path: z.enum(['coa', 'api']).nullable(),
  message: z.string(),
});

export type ControlOutcomeOutput = z.infer<typeof ZControlOutcome>;

/** "Apply to the N online sessions now": how many. */
export const ZPlanPushCount = z.object({ sessions: z.number() });

/** A live plan change in progress or finished, as the page polls it. */
export const ZPlanPush = z.object({
  id: z.number(),
  planName: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number(),
  done: z.number(),
  ok: z.number(),
  failed: z.number(),
  skipped: z.number(),
  error: z.string(),
  failures: z.array(
    z.object({ sessionId: z.number(), username: z.string().nullable(), nasName: z.string().nullable(), message: z.string() }),
  ),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
