import { z } from 'zod';

const email = z.string().trim().toLowerCase().email('Email must be a valid e-mail address').max(254, 'Email is too long');
const password = z.string().min(10, 'Password must be at least 10 characters').max(200, 'Password must be at most 200 characters');

export const ZCreateUserInput = z.object({
  email,
  name: z.string().trim().max(128, 'Name must be at most 128 characters').default(''),
  password,
  roleId: z.number({ message: 'Role is required' }).int().positive('Role is required'),
  resellerId: z.number().int().positive().nullable().default(null),
});

export const ZUpdateUserInput = z.object({
  id: z.number().int().positive(),
  name: z.string().trim().max(128, 'Name must be at most 128 characters'),
  roleId: z.number({ message: 'Role is required' }).int().positive('Role is required'),
  resellerId: z.number().int().positive().nullable(),
  isActive: z.boolean(),
  password: z.union([z.literal(''), password]).default(''),
});

export type CreateUserInput = z.infer<typeof ZCreateUserInput>;
export type UpdateUserInput = z.infer<typeof ZUpdateUserInput>;
