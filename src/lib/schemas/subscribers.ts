import { z } from 'zod';
import { canonicalIp } from '@/lib/ip-address';
import { hasControlCharacters, secretText, singleLine, zId } from './common';

/**
 * The subscriber form's schemas, used by the dialog in the browser and by the procedures on the server. Every
 * message starts with the field's label so it can stand alone in a toast or a log line.
 */

/** RADIUS carries User-Name and User-Password in attributes of at most 253 and 128 octets (RFC 2865). */
export const USERNAME_MAX = 64;
export const PASSWORD_MAX_BYTES = 128;

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/** A RADIUS User-Name as the router sends it: no spaces (a CPE cannot type them reliably), no control characters. */
export const zUsername = z
  .string({ message: 'Username must be text' })
  .trim()
  .min(1, 'Username is required')
  .max(USERNAME_MAX, `Username must be at most ${USERNAME_MAX} characters`)
  .refine((s) => !hasControlCharacters(s), 'Username must not contain control characters')
  .refine((s) => !/\s/.test(s), 'Username must not contain spaces');

/** Taken as typed (a trailing space makes another password); PAP carries at most 128 octets. */
const zPassword = secretText('Password', PASSWORD_MAX_BYTES).refine(
  (s) => utf8Length(s) <= PASSWORD_MAX_BYTES,
  `Password must be at most ${PASSWORD_MAX_BYTES} bytes (RADIUS User-Password)`,
);

/** Empty (or null) means none; otherwise one IPv4 or IPv6 host address, in canonical form. */
const zStaticIp = z
  .string({ message: 'Static IP must be text' })
  .trim()
  .nullable()
  .default(null)
  .transform((s, ctx) => {
    if (s === null || s === '') return null;
    const ip = canonicalIp(s);
    if (!ip) {
      ctx.addIssue({ code: 'custom', message: `Static IP "${s.slice(0, 64)}" is not an IPv4 or IPv6 address` });
      return z.NEVER;
    }
    return ip;
  });

const subscriberFields = {
  username: zUsername,
  nasId: zId('NAS'),
  planId: zId('Plan'),
  // Only an actor who sees every subscriber chooses it; anyone else's subscribers get their own reseller.
  resellerId: zId('Reseller').nullable().default(null),
  staticIp: zStaticIp,
  enabled: z.boolean({ message: 'Enabled must be true or false' }).default(true),
};

export const ZCreateSubscriberInput = z.object({
  ...subscriberFields,
  password: zPassword.min(1, 'Password is required (type one or generate it)'),
});

/** On edit an empty password keeps the stored one. */
export const ZUpdateSubscriberInput = z.object({
  id: zId('Subscriber id'),
  ...subscriberFields,
  password: zPassword.default(''),
});

export const ZSubscriberId = z.object({ id: zId('Subscriber id') });

export const ZListSubscribersInput = z.object({
  /** The start of a username (any case), an IP (static or an open session's) or a MAC (an open or recent session's). */
  search: singleLine('Search', 128).default(''),
  nasId: zId('NAS').nullable().default(null),
  planId: zId('Plan').nullable().default(null),
  online: z.enum(['all', 'online', 'offline'], { message: 'Online must be all, online or offline' }).default('all'),
  limit: z.number().int().min(1).max(200).default(50),
  /** Keyset paging: the last username of the previous page (deep pages cost the same as the first). */
  after: z
    .string()
    .max(USERNAME_MAX * 4)
    .nullable()
    .default(null),
});

/** Options for the form's selects: the NAS and plans a subscriber of `resellerId` may be given. */
export const ZSubscriberFormOptionsInput = z.object({ resellerId: zId('Reseller').nullable().default(null) });

export type CreateSubscriberInput = z.infer<typeof ZCreateSubscriberInput>;
export type UpdateSubscriberInput = z.infer<typeof ZUpdateSubscriberInput>;
export type ListSubscribersInput = z.infer<typeof ZListSubscribersInput>;
export type SubscriberFormValues = z.input<typeof ZCreateSubscriberInput>;

/** Characters a subscriber can read off a screen and type on a CPE: no 0/O, 1/l/I. */
const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A random password from the platform's CSPRNG (browser and Node alike), without modulo bias: 14 characters of
 * 57 is about 82 bits.
 */
export function generatePassword(length = 14): string {
  const out: string[] = [];
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  while (out.length < length) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) if (b < limit && out.length < length) out.push(PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]);
  }
  return out.join('');
}
