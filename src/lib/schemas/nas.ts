import { z } from 'zod';
import { canonicalIp, isHostname } from '@/lib/ip-address';
import { multiLine, PG_INT_MAX, secretText as secret, singleLine, zId } from './common';

export { fieldErrorsOf, type FieldErrors } from './field-errors';

/**
 * The NAS form's one schema, used by the dialog in the browser and by the procedures on the server.
 * Every message starts with the field's label so it can stand alone in a toast or a log line.
 */
const port = (label: string, fallback: number) =>
  z.coerce
    .number({ message: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(1, `${label} must be between 1 and 65535`)
    .max(65535, `${label} must be between 1 and 65535`)
    .default(fallback);

const text = singleLine;

// Secrets are taken as typed: a RADIUS secret with a trailing space is a different secret.
const secretText = (label: string) => secret(label, 128);

const commaList = (label: string, item: RegExp, what: string) =>
  text(label, 2000)
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((items) => items.every((x) => item.test(x)), `${label} must be a comma-separated list of ${what}`)
    .transform((items) => [...new Set(items)].join(','));

const nasFields = {
  name: text('Name', 128).min(1, 'Name is required'),
  shortName: text('Short Name', 32).default(''),
  ipAddress: z
    .string({ message: 'IP Address is required' })
    .trim()
    .min(1, 'IP Address is required')
    .transform((s, ctx) => {
      const ip = canonicalIp(s);
      if (!ip) {
        ctx.addIssue({ code: 'custom', message: `IP Address "${s}" is not an IPv4 or IPv6 address` });
        return z.NEVER;
      }
      return ip;
    }),
  type: z.enum(['mikrotik', 'generic'], { message: 'Type must be mikrotik or generic' }).default('mikrotik'),
  description: multiLine('Description', 2000).default(''),
  isActive: z.boolean().default(true),
  authPort: port('Auth Port', 1812),
  acctPort: port('Acct Port', 1813),
  coaPort: port('CoA Port', 1700),
  apiUsername: text('API Username', 64).default(''),
  apiPort: port('API Port', 8728),
  apiSslPort: port('API SSL Port', 8729),
  useSsl: z.boolean().default(false),
  // api-ssl to a router without a certificate (anonymous Diffie-Hellman): nothing proves who answers.
  tlsAllowAnonymous: z.boolean().default(false),
  // BlastRADIUS: Access-Requests without Message-Authenticator are dropped (RouterOS >= 7.15 sends it).
  requireMessageAuthenticator: z.boolean().default(true),
  apiHost: text('API Host', 253)
    .default('')
    .refine((s) => s === '' || canonicalIp(s) !== null || isHostname(s), 'API Host must be an IP address or a host name'),
  subscriberPools: commaList('Subscriber Pools', /^[A-Za-z0-9_.\-]{1,64}$/, 'pool names (letters, digits, _ . -)'),
  allowedRealms: commaList(
    'Allowed Realms',
    /^@?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/,
    'domains such as @isp.example',
  ),
};

type Checked = { apiUsername: string; apiPassword?: string; clearApiPassword?: boolean };

function requireUsernameWithPassword<T extends Checked>(v: T, ctx: z.RefinementCtx) {
  if (v.apiPassword && !v.apiUsername) {
    ctx.addIssue({ code: 'custom', path: ['apiUsername'], message: 'API Username is required when an API password is set' });
  }
}

export const ZCreateNasInput = z
  .object({
    ...nasFields,
    secret: secretText('Secret').min(1, 'Secret is required'),
    apiPassword: secretText('API Password').default(''),
  })
  .superRefine(requireUsernameWithPassword);

/** On edit an empty secret or API password keeps the stored one; `clearApiPassword` removes the password. */
export const ZUpdateNasInput = z
  .object({
    id: zId('NAS id'),
    ...nasFields,
    secret: secretText('Secret').default(''),
    apiPassword: secretText('API Password').default(''),
    clearApiPassword: z.boolean().default(false),
  })
  .superRefine(requireUsernameWithPassword)
  .superRefine((v, ctx) => {
    if (v.clearApiPassword && v.apiPassword) {
      ctx.addIssue({ code: 'custom', path: ['apiPassword'], message: 'API Password: type a new one or clear it, not both' });
    }
  });

/**
 * Test Connection on what the form holds so far (before saving), or on a stored NAS. With an `id`, empty
 * secret / API password fields fall back to the stored ones.
 */
export const ZTestConnectionInput = z
  .object({
    id: zId('NAS id').optional(),
    values: z
      .object({
        ipAddress: nasFields.ipAddress,
        type: nasFields.type,
        authPort: nasFields.authPort,
        coaPort: nasFields.coaPort,
        acctPort: nasFields.acctPort,
        apiUsername: nasFields.apiUsername,
        apiPort: nasFields.apiPort,
        apiSslPort: nasFields.apiSslPort,
        useSsl: nasFields.useSsl,
        tlsAllowAnonymous: nasFields.tlsAllowAnonymous,
        apiHost: nasFields.apiHost,
        secret: secretText('Secret').default(''),
        apiPassword: secretText('API Password').default(''),
      })
      .optional(),
  })
  .refine((v) => v.id !== undefined || v.values !== undefined, 'Test Connection needs a saved NAS or the form values');

export type TestConnectionInput = z.infer<typeof ZTestConnectionInput>;

export const ZNasId = z.object({ id: zId('NAS id') });

/** Trust the certificate the router presents now: the fingerprint the user saw (or `none`: anonymous TLS). */
export const ZTrustCertificateInput = z.object({
  id: zId('NAS id'),
  fingerprint: z
    .string()
    .trim()
    .max(200, 'Fingerprint must be at most 200 characters')
    .regex(/^(none|([0-9A-Fa-f]{2}:?){32})$/, 'Fingerprint must be a SHA-256 fingerprint (AB:CD:…) or none'),
});

export const ZListNasInput = z.object({
  search: singleLine('Search', 128).default(''),
  status: z.enum(['all', 'online', 'offline', 'active', 'inactive']).default('all'),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).max(PG_INT_MAX).default(0),
});

export type CreateNasInput = z.infer<typeof ZCreateNasInput>;
export type UpdateNasInput = z.infer<typeof ZUpdateNasInput>;
export type ListNasInput = z.infer<typeof ZListNasInput>;
export type NasFormValues = z.input<typeof ZCreateNasInput>;
