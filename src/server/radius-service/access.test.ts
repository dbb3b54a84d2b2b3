import { describe, expect, it, vi } from 'vitest';
import { decideAccess, realmOf, type AccessAttempt } from './access';
import type { NasClient } from './nas-clients';
import { mikrotikRateLimit } from '@/lib/radius-reply';
import type { Plan, Subscriber, SubscriberDirectory } from './subscribers';

// The decision is pure over the directory: a fake one, whose "ciphertext" is the password itself.
vi.mock('./subscribers', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./subscribers')>()),
  subscriberPassword: (s: Subscriber) => (s.passwordEnc === '' ? null : s.passwordEnc),
}));

const nas = (over: Partial<NasClient> = {}): NasClient => ({
  id: 1,
  name: 'core',
  ip: '10.0.0.1',
  secret: 's',
  type: 'mikrotik',
  allowedRealms: [],
  isActive: true,
  requireMessageAuthenticator: true,
  hasApi: false,
  ...over,
});
const plan: Plan = {
  id: 7,
  name: '50M',
  downloadKbps: 50_000,
  uploadKbps: 10_000,
  burstDownloadKbps: null,
  burstUploadKbps: null,
  burstThresholdDownloadKbps: null,
  burstThresholdUploadKbps: null,
  burstTimeS: null,
  filterId: 'RES-50M',
  framedPool: 'ppp-main',
  sessionTimeoutS: 86_400,
  interimIntervalS: 300,
};
const sub = (over: Partial<Subscriber> = {}): Subscriber => ({
  id: 9,
  username: 'alice@isp.example',
  passwordEnc: 'right',
  passwordCheck: 'opens',
  isActive: true,
  nasId: 1,
  resellerId: null,
  planId: 7,
  staticIp: null,
  ...over,
});
const directory = (...subs: Subscriber[]) =>
  ({
    find: (u: string) => subs.find((s) => s.username === u),
    plan: (id: number | null) => (id === 7 ? plan : undefined),
  }) as unknown as SubscriberDirectory;
const pap = (userName: string, typed: string, over: Partial<AccessAttempt> = {}): AccessAttempt => ({
  userName,
  method: 'pap',
  checkPassword: (p) => ({ ok: p === typed, attributes: [] }),
  ...over,
});
const message = (d: ReturnType<typeof decideAccess>) => d.attributes.find(([n]) => n === 'Reply-Message')?.[1];

describe('the access decision', () => {
  it('accepts the right password with the plan as MikroTik attributes', () => {
    const d = decideAccess(nas(), pap('alice@isp.example', 'right'), directory(sub()));
    expect(d).toMatchObject({ accept: true, subscriberId: 9 });
    expect(d.attributes).toEqual([
      ['Mikrotik-Rate-Limit', '10000k/50000k'],
      ['Framed-Pool', 'ppp-main'],
      ['Session-Timeout', 86_400],
      ['Acct-Interim-Interval', 300],
    ]);
  });

  it('gives a generic BNG the Filter-Id and WISPr bandwidth in bit/s, and a static address instead of the pool', () => {
    const d = decideAccess(nas({ type: 'generic' }), pap('alice@isp.example', 'right'), directory(sub({ staticIp: '100.64.1.9' })));
    expect(d.attributes).toEqual([
      ['Filter-Id', 'RES-50M'],
      ['WISPr-Bandwidth-Max-Up', 10_000_000],
      ['WISPr-Bandwidth-Max-Down', 50_000_000],
      ['Session-Timeout', 86_400],
      ['Acct-Interim-Interval', 300],
      ['Framed-IP-Address', '100.64.1.9'],
    ]);
  });

  it('writes burst as rx/tx pairs from the router side', () => {
    expect(
      mikrotikRateLimit({
        ...plan,
        burstDownloadKbps: 80_000,
        burstUploadKbps: 20_000,
        burstThresholdDownloadKbps: 40_000,
        burstThresholdUploadKbps: 8_000,
        burstTimeS: 16,
      }),
    ).toBe('10000k/50000k 20000k/80000k 8000k/40000k 16/16');
  });

  it('says the same for an unknown user and a wrong password (no hint of which names exist)', () => {
    const unknown = decideAccess(nas(), pap('mallory', 'x'), directory(sub()));
    const wrong = decideAccess(nas(), pap('alice@isp.example', 'wrong'), directory(sub()));
    expect(unknown).toMatchObject({ accept: false, reason: 'unknown user' });
    expect(wrong).toMatchObject({ accept: false, reason: 'wrong password (pap)' });
    expect(message(unknown)).toBe(message(wrong));
  });

  it('tells a disabled account or another NAS only to whoever has the password', () => {
    expect(decideAccess(nas(), pap('alice@isp.example', 'wrong'), directory(sub({ isActive: false })))).toMatchObject({
      reason: 'wrong password (pap)',
    });
    const disabled = decideAccess(nas(), pap('alice@isp.example', 'right'), directory(sub({ isActive: false })));
    expect(disabled).toMatchObject({ accept: false, reason: 'the subscriber is disabled' });
    expect(message(disabled)).toBe('Account disabled');
    const elsewhere = decideAccess(nas(), pap('alice@isp.example', 'right'), directory(sub({ nasId: 2 })));
    expect(elsewhere).toMatchObject({ accept: false, reason: 'the subscriber belongs to another NAS (#2)' });
    // A subscriber assigned to no NAS may log in anywhere.
    expect(decideAccess(nas(), pap('alice@isp.example', 'right'), directory(sub({ nasId: null }))).accept).toBe(true);
  });

  it("rejects realms outside the NAS's Allowed Realms, saying so, before looking at any account", () => {
    const listed = nas({ allowedRealms: ['isp.example'] });
    expect(decideAccess(listed, pap('alice@isp.example', 'right'), directory(sub())).accept).toBe(true);
    const other = decideAccess(listed, pap('bob@other.example', 'x'), directory());
    expect(other).toMatchObject({ accept: false, reason: "realm other.example is not in this NAS's Allowed Realms" });
    expect(message(other)).toBe('Realm @other.example is not accepted on this NAS');
    expect(decideAccess(listed, pap('carol', 'x'), directory())).toMatchObject({
      accept: false,
      reason: 'no realm, and this NAS accepts only listed realms',
    });
    // MikroTik may send the realm apart.
    expect(decideAccess(listed, pap('alice@isp.example', 'right', { mikrotikRealm: 'ignored' }), directory(sub())).accept).toBe(true);
    expect(realmOf({ userName: 'dave', mikrotikRealm: '@ISP.Example' })).toBe('isp.example');
  });

  it('refuses a request without any password, and a subscriber without a readable one', () => {
    expect(
      decideAccess(
        nas(),
        { userName: 'alice@isp.example', method: 'none', checkPassword: () => ({ ok: true, attributes: [] }) },
        directory(sub()),
      ).accept,
    ).toBe(false);
    expect(decideAccess(nas(), pap('alice@isp.example', 'right'), directory(sub({ passwordEnc: '' })))).toMatchObject({ accept: false });
  });
});
