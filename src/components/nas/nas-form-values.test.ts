import type { ResolverOptions } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { RETYPE_API_PASSWORD, RETYPE_SECRET } from '@/lib/stored-secrets';
import { NEW_NAS_FORM, nasFormResolver, nasFormValues, type NasFormInput, type NasFormTarget, type StoredNas } from './nas-form-values';

const stored: StoredNas = {
  id: 7,
  name: 'Core-1',
  shortName: 'C1',
  ipAddress: '10.0.0.1',
  type: 'mikrotik',
  description: '',
  isActive: true,
  authPort: 1812,
  acctPort: 1813,
  coaPort: 3799,
  apiUsername: 'panel',
  apiPort: 8730,
  apiSslPort: 8729,
  useSsl: false,
  tlsAllowAnonymous: false,
  requireMessageAuthenticator: true,
  apiHost: '',
  subscriberPools: 'ppp-1',
  allowedRealms: '',
  hasSecret: true,
  secretUnreadable: false,
  hasApiPassword: true,
  apiPasswordUnreadable: false,
};
const edit: NasFormTarget = { mode: 'edit', nas: stored };
const options: ResolverOptions<NasFormInput> = { fields: {}, shouldUseNativeValidation: false };

/** What Save would send, or the message under each field. */
async function submit(target: NasFormTarget, values: NasFormInput) {
  const r = await nasFormResolver(target)(values, undefined, options);
  const errors = Object.fromEntries(Object.entries(r.errors).map(([k, e]) => [k, e?.message]));
  return { values: r.values, errors };
}

describe('nasFormResolver on create', () => {
  it('sends the shared schema’s output: the spec defaults, ports typed as text as numbers', async () => {
    const r = await submit(
      { mode: 'create' },
      { ...NEW_NAS_FORM, name: 'Core-1', ipAddress: '10.0.0.1', secret: 's3cret', authPort: '1645' },
    );
    expect(r.errors).toEqual({});
    expect(r.values).toMatchObject({
      name: 'Core-1',
      authPort: 1645,
      acctPort: 1813,
      coaPort: 1700,
      apiPort: 8728,
      type: 'mikrotik',
      isActive: true,
    });
    expect(r.values).not.toHaveProperty('id');
    expect(r.values).not.toHaveProperty('clearApiPassword');
  });

  it('puts each zod message under its field', async () => {
    const r = await submit({ mode: 'create' }, { ...NEW_NAS_FORM, coaPort: 'abc' });
    expect(r.errors).toMatchObject({ name: 'Name is required', ipAddress: 'IP Address is required', secret: 'Secret is required' });
    expect(r.errors.coaPort).toMatch(/^CoA Port must be a number/);
    expect(r.values).toEqual({});
  });

  it('does not submit the hidden API inputs of a generic NAS: the defaults go instead', async () => {
    const r = await submit(
      { mode: 'create' },
      {
        ...NEW_NAS_FORM,
        name: 'Bng',
        ipAddress: '10.0.0.2',
        secret: 's',
        type: 'generic',
        apiUsername: 'typed-before',
        apiPassword: 'p',
        apiPort: 'junk',
        useSsl: true,
        apiHost: 'bad host!',
      },
    );
    expect(r.errors).toEqual({});
    expect(r.values).toMatchObject({ type: 'generic', apiUsername: '', apiPassword: '', apiPort: 8728, useSsl: false, apiHost: '' });
  });
});

describe('nasFormResolver on edit', () => {
  it('starts from the stored row with secrets empty, and sends an update of that row keeping them', async () => {
    expect(nasFormValues(stored)).toMatchObject({ secret: '', apiPassword: '', coaPort: '3799', apiPort: '8730', clearApiPassword: false });
    const r = await submit(edit, { ...nasFormValues(stored), shortName: 'C2' });
    expect(r.errors).toEqual({});
    expect(r.values).toMatchObject({ id: 7, shortName: 'C2', secret: '', apiPassword: '', coaPort: 3799, clearApiPassword: false });
  });

  it('a generic NAS keeps what is stored for its hidden API inputs', async () => {
    const r = await submit(edit, { ...nasFormValues(stored), type: 'generic', apiUsername: '', apiPort: 'junk', clearApiPassword: true });
    expect(r.errors).toEqual({});
    expect(r.values).toMatchObject({ type: 'generic', apiUsername: 'panel', apiPort: 8730, clearApiPassword: false });
  });

  it('asks to retype a stored secret whose address changed, before sending', async () => {
    const moved = await submit(edit, { ...nasFormValues(stored), ipAddress: '10.0.0.9' });
    // The API password is sent to the IP address too when API Host is blank.
    expect(moved.errors).toEqual({ secret: RETYPE_SECRET, apiPassword: RETYPE_API_PASSWORD });
    expect(moved.values).toEqual({});

    const apiMoved = await submit(edit, { ...nasFormValues(stored), apiHost: '192.0.2.200' });
    expect(apiMoved.errors).toEqual({ apiPassword: RETYPE_API_PASSWORD });

    const coa = await submit(edit, { ...nasFormValues(stored), coaPort: '1700' });
    expect(coa.errors).toEqual({ secret: RETYPE_SECRET });

    const retyped = await submit(edit, { ...nasFormValues(stored), ipAddress: '10.0.0.9', secret: 'new', apiPassword: 'new-api' });
    expect(retyped.errors).toEqual({});
    const cleared = await submit(edit, { ...nasFormValues(stored), apiHost: '192.0.2.200', clearApiPassword: true });
    expect(cleared.errors).toEqual({});
  });

  it('asks for a new secret when the stored one is unreadable, even at the same address', async () => {
    const nas = { ...stored, secretUnreadable: true, apiPasswordUnreadable: true };
    const r = await submit({ mode: 'edit', nas }, nasFormValues(nas));
    expect(r.errors).toEqual({
      secret: 'The stored secret is unreadable: set a new one',
      apiPassword: 'The stored API password is unreadable: set a new one, or clear it',
    });
  });

  it('shows the schema’s errors first: the retype check runs on valid values only', async () => {
    const r = await submit(edit, { ...nasFormValues(stored), name: '', ipAddress: '10.0.0.9' });
    expect(r.errors).toEqual({ name: 'Name is required' });
  });
});
