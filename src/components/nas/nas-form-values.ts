import { fieldErrorsOf, type FieldErrors } from '@/lib/schemas/field-errors';
import { ZCreateNasInput, ZUpdateNasInput, type CreateNasInput, type UpdateNasInput } from '@/lib/schemas/nas';
import { RETYPE_API_PASSWORD, RETYPE_SECRET, storedApiPasswordApplies, storedSecretApplies } from '@/lib/stored-secrets';
import type { NasDetail } from '@/server/services/nas/nas-view';

/** What the inputs hold: text as typed (ports too), so the schema is the one place that coerces and checks. */
export type NasFormState = {
  name: string;
  shortName: string;
  ipAddress: string;
  type: 'mikrotik' | 'generic';
  description: string;
  isActive: boolean;
  secret: string;
  authPort: string;
  acctPort: string;
  coaPort: string;
  apiUsername: string;
  apiPassword: string;
  apiPort: string;
  apiSslPort: string;
  useSsl: boolean;
  tlsAllowAnonymous: boolean;
  apiHost: string;
  subscriberPools: string;
  allowedRealms: string;
  clearApiPassword: boolean;
};

/** The spec's defaults. */
export const NEW_NAS_FORM: NasFormState = {
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
  apiHost: '',
  subscriberPools: '',
  allowedRealms: '',
  clearApiPassword: false,
};

/** Edit starts from the stored row; secrets start empty, which the update schema reads as "keep". */
export function formStateFromNas(n: NasDetail): NasFormState {
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
    apiHost: n.apiHost,
    subscriberPools: n.subscriberPools,
    allowedRealms: n.allowedRealms,
    clearApiPassword: false,
  };
}

export const API_FIELDS = ['apiUsername', 'apiPassword', 'apiPort', 'apiSslPort', 'useSsl', 'tlsAllowAnonymous', 'apiHost', 'clearApiPassword'] as const;

export type NasFormTarget = { mode: 'create' } | { mode: 'edit'; nas: NasDetail };

export type ParsedNasForm =
  | { ok: true; mode: 'create'; data: CreateNasInput }
  | { ok: true; mode: 'edit'; data: UpdateNasInput }
  | { ok: false; errors: FieldErrors };

/**
 * The form's values through the same zod schema the procedure uses. Exported so other actions in the
 * dialog (e.g. testing the connection with the values typed so far) see exactly what Save would send.
 */
export function parseNasForm(state: NasFormState, target: NasFormTarget): ParsedNasForm {
  // A generic NAS has no RouterOS API: its hidden API inputs are not submitted, so nothing invisible can fail
  // validation or be stored by accident. Edit keeps what is stored; create uses the defaults.
  const base = target.mode === 'edit' ? formStateFromNas(target.nas) : NEW_NAS_FORM;
  const values = state.type === 'generic' ? { ...state, ...pick(base, API_FIELDS) } : state;
  const { clearApiPassword, ...common } = values;
  if (target.mode === 'create') {
    const r = ZCreateNasInput.safeParse(common);
    return r.success ? { ok: true, mode: 'create', data: r.data } : { ok: false, errors: fieldErrorsOf(r.error) };
  }
  const r = ZUpdateNasInput.safeParse({ ...common, clearApiPassword, id: target.nas.id });
  if (!r.success) return { ok: false, errors: fieldErrorsOf(r.error) };
  const retype = storedSecretsToRetype(target.nas, r.data);
  return Object.keys(retype).length ? { ok: false, errors: retype } : { ok: true, mode: 'edit', data: r.data };
}

/** The server's rule, asked before sending: a stored secret does not follow a changed address. */
function storedSecretsToRetype(stored: NasDetail, v: UpdateNasInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.secret && stored.secretUnreadable) errors.secret = ['The stored secret is unreadable: set a new one'];
  else if (!v.secret && stored.hasSecret && !storedSecretApplies(stored, v)) errors.secret = [RETYPE_SECRET];
  if (!v.apiPassword && !v.clearApiPassword && stored.apiPasswordUnreadable) errors.apiPassword = ['The stored API password is unreadable: set a new one, or clear it'];
  else if (!v.apiPassword && !v.clearApiPassword && stored.hasApiPassword && !storedApiPasswordApplies(stored, v)) {
    errors.apiPassword = [RETYPE_API_PASSWORD];
  }
  return errors;
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}
