import { z } from 'zod';
import { singleLine, zId } from './common';

export const ZCreateResellerInput = z.object({
  name: singleLine('Name', 128).min(1, 'Name is required'),
  contactEmail: z
    .union([z.literal(''), z.string().trim().email('Contact Email must be a valid e-mail address').max(254, 'Contact Email is too long')])
    .default(''),
});

export const ZResellerId = z.object({ id: zId('Reseller id') });

export const ZSetAssignmentInput = z.object({
  resellerId: zId('Reseller id'),
  nasId: zId('NAS id'),
  assigned: z.boolean(),
});

export type CreateResellerInput = z.infer<typeof ZCreateResellerInput>;
export type SetAssignmentInput = z.infer<typeof ZSetAssignmentInput>;
