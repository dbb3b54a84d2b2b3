import { z } from 'zod';

export const ZCreateResellerInput = z.object({
  name: z.string().trim().min(1, 'Name is required').max(128, 'Name must be at most 128 characters'),
  contactEmail: z.union([z.literal(''), z.string().trim().email('Contact Email must be a valid e-mail address')]).default(''),
});

export const ZResellerId = z.object({ id: z.number().int().positive() });

export const ZSetAssignmentInput = z.object({
  resellerId: z.number().int().positive(),
  nasId: z.number().int().positive(),
  assigned: z.boolean(),
});

export type CreateResellerInput = z.infer<typeof ZCreateResellerInput>;
export type SetAssignmentInput = z.infer<typeof ZSetAssignmentInput>;
