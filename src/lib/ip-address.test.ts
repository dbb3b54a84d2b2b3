import { describe, expect, it } from 'vitest';
import { canonicalIp, canonicalIpv6, isIpv4 } from './ip-address';

describe('ip-address', () => {
  it('accepts plain IPv4 and rejects near misses', () => {
    expect(isIpv4('10.0.0.1')).toBe(true);
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '10.0.0.1/32', ' 10.0.0.1', '1.2.3.4.5']) expect(isIpv4(bad)).toBe(false);
  });

  it('writes IPv6 canonically (RFC 5952)', () => {
    expect(canonicalIpv6('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIpv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIpv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIpv6('::')).toBe('::');
    expect(canonicalIpv6('::1')).toBe('::1');
    expect(canonicalIpv6('fe80::')).toBe('fe80::');
    expect(canonicalIpv6('::ffff:10.0.0.1')).toBe('::ffff:a00:1');
  });

  it('rejects malformed IPv6', () => {
    for (const bad of ['2001:db8::1::1', '12345::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'g::1', '2001:db8::/64', ':']) {
      expect(canonicalIpv6(bad)).toBeNull();
    }
    expect(canonicalIp(' 2001:DB8::1 ')).toBe('2001:db8::1');
    expect(canonicalIp('router.example')).toBeNull();
  });

  it('stores an IPv4-mapped IPv6 address as the IPv4 address (one NAS per address, whatever its spelling)', () => {
    expect(canonicalIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIp('::FFFF:0a00:0001')).toBe('10.0.0.1');
    expect(canonicalIp('0:0:0:0:0:ffff:c000:0201')).toBe('192.0.2.1');
    expect(canonicalIp('::fffe:10.0.0.1')).toBe('::fffe:a00:1');
  });
});
