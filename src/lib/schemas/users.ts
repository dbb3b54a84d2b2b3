import { z } from 'zod';
import { secretText, singleLine, zId } from './common';

const email = z.string().trim().toLowerCase().email('Email must be a valid e-mail address').max(254, 'Email is too long');
const password = secretText('Password', 200).refine((s) => s.length >= 10, 'Password must be at least 10 characters');

export const ZCreateUserInput = z.object({
  email,
  name: singleLine('Name', 128).default(''),
  password,
  roleId: zId('Role'),
  resellerId: zId('Reseller').nullable().default(null),
});

export const ZUpdateUserInput = z.object({
  id: zId('User id'),
  name: singleLine('Name', 128),
  roleId: zId('Role'),
  resellerId: zId('Reseller').nullable(),
  isActive: z.boolean(),
  password: z.union([z.literal(''), password]).default(''),
});

export type CreateUserInput = z.infer<typeof ZCreateUserInput>;
export type UpdateUserInput = z.infer<typeof ZUpdateUserInput>;
