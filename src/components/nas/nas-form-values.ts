import type { inferRouterOutputs } from '@trpc/server';
import type { FieldErrors, Resolver } from 'react-hook-form';
import type { z } from 'zod';
import { schemaResolver } from '@/components/ui/schema-resolver';
import { ZCreateNasInput, ZUpdateNasInput, type CreateNasInput, type UpdateNasInput } from '@/lib/schemas/nas';
import { RETYPE_API_PASSWORD, RETYPE_SECRET, storedApiPasswordApplies, storedSecretApplies } from '@/lib/stored-secrets';
import type { AppRouter } from '@/server/api/root';

/** What the form reads of a NAS as nas.get hands it over: no secrets, only whether they are stored and readable. */
export type StoredNas = Pick<
  inferRouterOutputs<AppRouter>['nas']['get'],
  | 'id'
  | 'name'
  | 'shortName'
  | 'ipAddress'
  | 'type'
  | 'description'
  | 'isActive'
  | 'authPort'
  | 'acctPort'
  | 'coaPort'
  | 'apiUsername'
  | 'apiPort'
  | 'apiSslPort'
  | 'useSsl'
  | 'tlsAllowAnonymous'
  | 'requireMessageAuthenticator'
  | 'apiHost'
  | 'subscriberPools'
  | 'allowedRealms'
  | 'hasSecret'
  | 'secretUnreadable'
  | 'hasApiPassword'
  | 'apiPasswordUnreadable'
>;

/** What the inputs hold: the schemas' input, ports as typed text, so the schema is the one place that coerces. */
export type NasFormInput = z.input<typeof ZCreateNasInput> & Pick<z.input<typeof ZUpdateNasInput>, 'clearApiPassword'>;

/** What Save sends, the schemas' output: with an `id` it is an update. */
export type NasFormOutput = CreateNasInput | UpdateNasInput;

export type NasFormTarget = { mode: 'create' } | { mode: 'edit'; nas: StoredNas };

/** The spec's defaults. */
export const NEW_NAS_FORM: Required<NasFormInput> = {
  name: '',
  shortName: '',
  ipAddress: '',
  type: 'mikrotik',
  description: '',
  isActive: true,
  secret: '',
  authPort: '1812',
  acctPort: '1813',
  coaPort: '1700',
  apiUsername: '',
  apiPassword: '',
  apiPort: '8728',
  apiSslPort: '8729',
  useSsl: false,
  tlsAllowAnonymous: false,
  requireMessageAuthenticator: true,
  apiHost: '',
  subscriberPools: '',
  allowedRealms: '',
  clearApiPassword: false,
};

/** Edit starts from the stored row; secrets start empty, which the update schema reads as "keep". */
export function nasFormValues(n: StoredNas): Required<NasFormInput> {
  return {
    name: n.name,
    shortName: n.shortName,
    ipAddress: n.ipAddress,
    type: n.type,
    description: n.description,
    isActive: n.isActive,
    secret: '',
    authPort: String(n.authPort),
    acctPort: String(n.acctPort),
    coaPort: String(n.coaPort),
    apiUsername: n.apiUsername,
    apiPassword: '',
    apiPort: String(n.apiPort),
    apiSslPort: String(n.apiSslPort),
    useSsl: n.useSsl,
    tlsAllowAnonymous: n.tlsAllowAnonymous,
    requireMessageAuthenticator: n.requireMessageAuthenticator,
    apiHost: n.apiHost,
    subscriberPools: n.subscriberPools,
    allowedRealms: n.allowedRealms,
    clearApiPassword: false,
  };
}

export const API_FIELDS = [
  'apiUsername',
  'apiPassword',
  'apiPort',
  'apiSslPort',
  'useSsl',
  'tlsAllowAnonymous',
  'apiHost',
  'clearApiPassword',
] as const;

/**
 * The form's values through the same zod schema the procedure uses, so Save and Test connection see exactly
 * what the server will. On edit, the stored secrets that would not follow a changed address are asked for
 * before anything is sent.
 */
export function nasFormResolver(target: NasFormTarget): Resolver<NasFormInput, unknown, NasFormOutput> {
  // A generic NAS has no RouterOS API: its hidden API inputs are not submitted, so nothing invisible can fail
  // validation or be stored by accident. Edit keeps what is stored; create uses the defaults.
  const hidden = pick(target.mode === 'edit' ? nasFormValues(target.nas) : NEW_NAS_FORM, API_FIELDS);
  const submitted = (v: NasFormInput): NasFormInput => (v.type === 'generic' ? { ...v, ...hidden } : v);
  if (target.mode === 'create') return schemaResolver(ZCreateNasInput, submitted);

  const stored = target.nas;
  const parse = schemaResolver(ZUpdateNasInput, (v: NasFormInput) => ({ ...submitted(v), id: stored.id }));
  return async (values, context, options) => {
    const r = await parse(values, context, options);
    if (Object.keys(r.errors).length) return r;
    const retype = storedSecretsToRetype(stored, r.values as UpdateNasInput);
    return Object.keys(retype).length ? { values: {}, errors: retype } : r;
  };
}

/** The server's rule, asked before sending: a stored secret does not follow a changed address. */
export function storedSecretsToRetype(stored: StoredNas, v: UpdateNasInput): FieldErrors<NasFormInput> {
  const errors: FieldErrors<NasFormInput> = {};
  const say = (message: string) => ({ type: 'retype', message });
  if (!v.secret && stored.secretUnreadable) errors.secret = say('The stored secret is unreadable: set a new one');
  else if (!v.secret && stored.hasSecret && !storedSecretApplies(stored, v)) errors.secret = say(RETYPE_SECRET);
  if (!v.apiPassword && !v.clearApiPassword && stored.apiPasswordUnreadable)
    errors.apiPassword = say('The stored API password is unreadable: set a new one, or clear it');
  else if (!v.apiPassword && !v.clearApiPassword && stored.hasApiPassword && !storedApiPasswordApplies(stored, v)) {
    errors.apiPassword = say(RETYPE_API_PASSWORD);
  }
  return errors;
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}
