import { describe, expect, it } from 'vitest';
import { apiEndpoint, storedApiPasswordApplies, storedSecretApplies } from './stored-secrets';

const stored = { ipAddress: '10.0.0.1', apiHost: '', apiPort: 8728, apiSslPort: 8729, useSsl: false, apiUsername: 'panel' };

describe('a stored API password applies only to the endpoint it was saved with', () => {
  it('holds for the same endpoint however it is spelled', () => {
    expect(storedApiPasswordApplies(stored, { ...stored })).toBe(true);
    expect(storedApiPasswordApplies(stored, { ...stored, apiHost: '10.0.0.1', apiPort: '8728' })).toBe(true);
    expect(storedApiPasswordApplies({ ...stored, apiHost: 'R1.Example.' }, { ...stored, apiHost: 'r1.example' })).toBe(true);
    // The SSL port does not matter while SSL is off.
    expect(storedApiPasswordApplies(stored, { ...stored, apiSslPort: 9999 })).toBe(true);
  });

  it('fails for any change of host, port, TLS mode or username', () => {
    for (const change of [
      { ipAddress: '10.0.0.2' },
      { apiHost: '192.0.2.9' },
      { apiPort: 8729 },
      { useSsl: true },
      { apiUsername: 'admin' },
    ]) {
      expect(storedApiPasswordApplies(stored, { ...stored, ...change }), JSON.stringify(change)).toBe(false);
    }
    expect(apiEndpoint({ ...stored, useSsl: true })).toBe('tls panel @ 10.0.0.1:8729');
  });
});

describe('a stored RADIUS secret applies only to the IP and CoA port it was saved with', () => {
  it('holds for the same address, fails for another address or CoA port', () => {
    expect(storedSecretApplies({ ipAddress: '2001:db8::1', coaPort: 1700 }, { ipAddress: '2001:DB8:0::1', coaPort: '1700' })).toBe(true);
    expect(storedSecretApplies({ ipAddress: '10.0.0.1', coaPort: 1700 }, { ipAddress: '10.0.0.2', coaPort: 1700 })).toBe(false);
    expect(storedSecretApplies({ ipAddress: '10.0.0.1', coaPort: 1700 }, { ipAddress: '10.0.0.1', coaPort: 3799 })).toBe(false);
  });
});
