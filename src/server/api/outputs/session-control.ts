import { z } from 'zod';

/** The answer to Disconnect or a rate change: did it happen, by which path, and one sentence saying why. */
export const ZControlOutcome = z.object({
  ok: z.boolean(),
  path: z.enum(['coa', 'api']).nullable(),
  message: z.string(),
});

export type ControlOutcomeOutput = z.infer<typeof ZControlOutcome>;
