import { describe, expect, it } from 'vitest';
import { fieldErrorsOf, ZCreateNasInput, ZUpdateNasInput } from './nas';

const base = { name: 'Core-1', ipAddress: '10.0.0.1', secret: 's3cret' };

describe('ZCreateNasInput', () => {
  it('fills the spec defaults', () => {
    const v = ZCreateNasInput.parse(base);
    expect(v).toMatchObject({
      type: 'mikrotik',
      isActive: true,
      authPort: 1812,
      acctPort: 1813,
      coaPort: 1700,
      apiPort: 8728,
      apiSslPort: 8729,
      useSsl: false,
      shortName: '',
      apiUsername: '',
      apiPassword: '',
    });
  });

  it('names the field in every error', () => {
    const r = ZCreateNasInput.safeParse({ name: ' ', ipAddress: '10.0.0.300', secret: '', authPort: '70000', coaPort: 'abc' });
    expect(r.success).toBe(false);
    const e = fieldErrorsOf(r.error!);
    expect(e.name).toEqual(['Name is required']);
    expect(e.ipAddress?.[0]).toBe('IP Address "10.0.0.300" is not an IPv4 or IPv6 address');
    expect(e.secret).toEqual(['Secret is required']);
    expect(e.authPort?.[0]).toMatch(/^Auth Port must be between 1 and 65535/);
    expect(e.coaPort?.[0]).toMatch(/^CoA Port must be a number/);
  });

  it('stores IPv6 canonically and accepts form strings for ports', () => {
    const v = ZCreateNasInput.parse({ ...base, ipAddress: '2001:0db8::0001', authPort: '1645' });
    expect(v.ipAddress).toBe('2001:db8::1');
    expect(v.authPort).toBe(1645);
  });

  it('normalises pool and realm lists and rejects junk', () => {
    const v = ZCreateNasInput.parse({ ...base, subscriberPools: ' ppp-1, ppp-2 ,,ppp-1', allowedRealms: '@isp.example, other.net' });
    expect(v.subscriberPools).toBe('ppp-1,ppp-2');
    expect(v.allowedRealms).toBe('@isp.example,other.net');
    const r = ZCreateNasInput.safeParse({ ...base, allowedRealms: 'bad realm!' });
    expect(fieldErrorsOf(r.error!).allowedRealms?.[0]).toMatch(/^Allowed Realms must be/);
  });

  it('requires an API username with an API password', () => {
    const r = ZCreateNasInput.safeParse({ ...base, apiPassword: 'x' });
    expect(fieldErrorsOf(r.error!).apiUsername).toEqual(['API Username is required when an API password is set']);
  });
});

describe('ZUpdateNasInput', () => {
  it('keeps secrets when left empty', () => {
    const v = ZUpdateNasInput.parse({ ...base, id: 1, secret: '' });
    expect(v.secret).toBe('');
    expect(v.clearApiPassword).toBe(false);
  });

  it('refuses clearing and setting the API password at once', () => {
    const r = ZUpdateNasInput.safeParse({ ...base, id: 1, apiUsername: 'u', apiPassword: 'p', clearApiPassword: true });
    expect(fieldErrorsOf(r.error!).apiPassword?.[0]).toMatch(/^API Password/);
  });
});
