import { afterEach, describe, expect, it } from 'vitest';
import { env, resetEnvCache } from '@/env';
import {
  assertRouterAddressAllowed,
  configuredRouterNetworks,
  parseRouterNetworks,
  resolveRouterAddress,
  RouterAddressRefusedError,
  RouterNetworksSyntaxError,
} from './network-policy';

function refusal(address: string, networks: string | undefined, host?: string): RouterAddressRefusedError | null {
  try {
    assertRouterAddressAllowed(address, parseRouterNetworks(networks), host);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(RouterAddressRefusedError);
    return err as RouterAddressRefusedError;
  }
}

const allowed = (address: string, networks?: string) => refusal(address, networks) === null;

describe('ROUTER_NETWORKS unset: anywhere but link-local', () => {
  it.each(['10.1.2.3', '192.0.2.7', '203.0.113.9', '127.0.0.1', '127.0.50.1', '::1', '2001:db8::1', '100.64.0.1', 'fd00::5'])(
    'allows %s',
    (address) => expect(allowed(address)).toBe(true),
  );

  it('refuses IPv4 and IPv6 link-local, saying how to allow it', () => {
    expect(refusal('169.254.1.1', undefined)).toMatchObject({
      reason: 'link-local',
      message: '169.254.1.1 is link-local: the panel does not connect there (set ROUTER_NETWORKS to allow it)',
    });
    expect(refusal('169.254.169.254', '')?.reason).toBe('link-local');
    expect(refusal('fe80::1', undefined)?.reason).toBe('link-local');
    expect(refusal('fe80::1%eth0', undefined)?.reason).toBe('link-local');
    expect(refusal('febf:ffff::1', undefined)?.reason).toBe('link-local');
    expect(allowed('fec0::1')).toBe(true);
    expect(allowed('169.255.0.1')).toBe(true);
    expect(allowed('169.253.255.255')).toBe(true);
  });

  it('judges IPv4-mapped IPv6 as its IPv4 address', () => {
    expect(refusal('::ffff:169.254.1.1', undefined)?.reason).toBe('link-local');
    expect(refusal('::ffff:a9fe:101', undefined)?.reason).toBe('link-local');
    expect(allowed('::ffff:10.0.0.1')).toBe(true);
  });
});

describe('never an address no router can have, whatever ROUTER_NETWORKS says', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['224.0.0.5', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['::ffff:224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusal(address, undefined)?.reason).toBe(reason);
    expect(refusal(address, '0.0.0.0/0, ::/0')?.reason).toBe(reason);
  });

  it('says why', () => {
    expect(refusal('224.0.0.5', undefined)?.message).toBe('224.0.0.5 is a multicast address: no router can be reached there');
    expect(refusal('::', undefined)?.message).toBe(':: is the unspecified address: no router can be reached there');
  });
});

describe('ROUTER_NETWORKS set: only those networks', () => {
  const NETS = '10.0.0.0/8, 192.168.7.0/24,2001:db8:100::/48 , 203.0.113.9';

  it('allows addresses inside a listed network, IPv4 and IPv6', () => {
    for (const address of ['10.0.0.1', '10.255.255.254', '192.168.7.200', '2001:db8:100:ffff::1', '203.0.113.9', '::ffff:10.9.9.9']) {
      expect(allowed(address, NETS), address).toBe(true);
    }
  });

  it('refuses the rest, loopback included, listing the networks', () => {
    for (const address of ['11.0.0.1', '192.168.8.1', '2001:db8:101::1', '203.0.113.10', '127.0.0.1', '::1']) {
      expect(refusal(address, NETS)?.reason, address).toBe('outside-router-networks');
    }
    expect(refusal('192.168.8.1', NETS)?.message).toBe(
      '192.168.8.1 is outside ROUTER_NETWORKS (10.0.0.0/8, 192.168.7.0/24, 2001:db8:100::/48, 203.0.113.9/32): the panel does not connect there',
    );
  });

  it('refuses link-local unless a link-local network is listed itself, not merely covered by a wide one', () => {
    expect(refusal('169.254.1.1', '0.0.0.0/0')).toMatchObject({
      reason: 'link-local',
      message:
        '169.254.1.1 is link-local: the panel does not connect there (list 169.254.0.0/16 or a part of it in ROUTER_NETWORKS to allow it)',
    });
    expect(refusal('169.254.1.1', '128.0.0.0/1')?.reason).toBe('link-local');
    expect(allowed('169.254.1.1', '10.0.0.0/8,169.254.0.0/16')).toBe(true);
    expect(allowed('169.254.1.1', '169.254.1.0/24')).toBe(true);
    expect(refusal('169.254.2.1', '169.254.1.0/24')?.reason).toBe('outside-router-networks');
    expect(refusal('fe80::1', '::/0')?.reason).toBe('link-local');
    expect(allowed('fe80::1%eth0', 'fe80::/64')).toBe(true);
  });

  it('reads IPv4-mapped networks as the IPv4 network they map', () => {
    expect(allowed('10.1.2.3', '::ffff:10.0.0.0/104')).toBe(true);
    expect(allowed('11.1.2.3', '::ffff:10.0.0.0/104')).toBe(false);
  });
});

describe('parsing ROUTER_NETWORKS', () => {
  it('treats blank as unset', () => {
    expect(parseRouterNetworks(undefined)).toBeNull();
    expect(parseRouterNetworks('')).toBeNull();
    expect(parseRouterNetworks(' , ')).toBeNull();
  });

  it.each([
    ['10.0.0.0/33', '"10.0.0.0/33" is not an IPv4 or IPv6 network'],
    ['10.0.0/8', '"10.0.0/8" is not an IPv4 or IPv6 network'],
    ['example.com', '"example.com" is not an IPv4 or IPv6 network'],
    ['2001:db8::/129', '"2001:db8::/129" is not an IPv4 or IPv6 network'],
    ['10.0.0.0/-1', '"10.0.0.0/-1" is not an IPv4 or IPv6 network'],
    ['10.0.0.1/8', '"10.0.0.1/8" has bits set after the prefix: did you mean 10.0.0.0/8?'],
    ['2001:db8::1/32', '"2001:db8::1/32" has bits set after the prefix: did you mean 2001:db8::/32?'],
  ])('refuses %s with a message naming it', (text, message) => {
    expect(() => parseRouterNetworks(`192.168.0.0/16, ${text}`)).toThrow(RouterNetworksSyntaxError);
    expect(() => parseRouterNetworks(text)).toThrow(message);
  });
});

describe('the environment variable', () => {
  const saved = process.env.ROUTER_NETWORKS;
  afterEach(() => {
    if (saved === undefined) delete process.env.ROUTER_NETWORKS;
    else process.env.ROUTER_NETWORKS = saved;
    resetEnvCache();
  });

  it('is validated by env() with the entry and the variable named', () => {
    process.env.ROUTER_NETWORKS = '10.0.0.0/8,10.0.0.300/32';
    resetEnvCache();
    expect(() => env()).toThrow(/ROUTER_NETWORKS: "10\.0\.0\.300\/32" is not an IPv4 or IPv6 network/);
  });

  it('is what the policy applies by default', async () => {
    process.env.ROUTER_NETWORKS = '10.0.0.0/8';
    resetEnvCache();
    expect(configuredRouterNetworks()?.map((n) => n.text)).toEqual(['10.0.0.0/8']);
    await expect(resolveRouterAddress('127.0.0.1')).rejects.toThrow('127.0.0.1 is outside ROUTER_NETWORKS (10.0.0.0/8)');
    delete process.env.ROUTER_NETWORKS;
    resetEnvCache();
    expect(configuredRouterNetworks()).toBeNull();
    await expect(resolveRouterAddress('127.0.0.1')).resolves.toBe('127.0.0.1');
  });
});

describe('resolveRouterAddress', () => {
  it('returns a literal as it is, unmapping IPv4-mapped IPv6 and unbracketing IPv6', async () => {
    expect(await resolveRouterAddress('10.0.0.1', null)).toBe('10.0.0.1');
    expect(await resolveRouterAddress('::ffff:10.0.0.1', null)).toBe('10.0.0.1');
    expect(await resolveRouterAddress('[2001:db8::1]', null)).toBe('2001:db8::1');
  });

  it('resolves a name to a literal, and refuses a name when any of its addresses is refused', async () => {
    // localhost answers 127.0.0.1 (and ::1 where configured): both allowed by default.
    expect(['127.0.0.1', '::1']).toContain(await resolveRouterAddress('localhost', null));
    const err = await resolveRouterAddress('localhost', parseRouterNetworks('10.0.0.0/8')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterAddressRefusedError);
    expect((err as Error).message).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), which is outside ROUTER_NETWORKS \(10\.0\.0\.0\/8\)/,
    );
  });

  it('passes DNS failures through as the resolver reports them', async () => {
    const err = await resolveRouterAddress('no-such-host.invalid', null).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/) });
  });
});
