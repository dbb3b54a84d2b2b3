import { z } from 'zod';
import { zId } from './common';

/** A session to act on: a radacct id (a bigint, kept within JavaScript's safe integers). */
export const ZControlSessionInput = z.object({
  id: z
    .number({ error: 'Session id must be a number' })
    .int('Session id must be a whole number')
    .min(1, 'Session id must be a positive whole number')
    .max(Number.MAX_SAFE_INTEGER, 'Session id is too large'),
});

export type ControlSessionInput = z.infer<typeof ZControlSessionInput>;

/** Whose online sessions get their plan's rate now: every subscriber of a plan, or one subscriber. */
export const ZPlanPushTarget = z.union([
  z.object({ planId: zId('Plan') }).strict(),
  z.object({ subscriberId: zId('Subscriber') }).strict(),
]);

export const ZPlanPushId = z.object({ id: zId('Plan change') });

export type PlanPushTarget = z.infer<typeof ZPlanPushTarget>;
