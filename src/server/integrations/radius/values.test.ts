import { describe, expect, it } from 'vitest';
import { encodeIpv4, encodeIpv6, encodeIpv6Prefix, formatIpv6, readIpv6Prefix } from './values';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('attribute value formats', () => {
  it.each([
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000010000000000000000', '2001:db8:0:1::'],
    ['20010db8000000010000000100000001', '2001:db8:0:1:0:1:0:1'], // no run of two zero groups: nothing compressed
    ['20010000000012340000000000000001', '2001:0:0:1234::1'], // the longer run wins
    ['20010000000000010000000000010001', '2001::1:0:0:1:1'], // a tie: the first run
    ['fe800000000000000000000000000000', 'fe80::'],
  ])('formats %s as %s (RFC 5952) and parses it back', (bytes, text) => {
    expect(formatIpv6(hex(bytes))).toBe(text);
    expect(encodeIpv6(text)).toEqual(hex(bytes));
  });

  it('parses IPv4-embedded IPv6 and refuses what is not an address', () => {
    expect(encodeIpv6('::ffff:192.0.2.1')).toEqual(hex('00000000000000000000ffffc0000201'));
    for (const bad of ['', '2001:db8::1::2', 'fe80::1%eth0', '1.2.3.4', 'g::1']) expect(encodeIpv6(bad), bad).toBeNull();
    expect(encodeIpv4('10.0.0.9')).toEqual(hex('0a000009'));
    for (const bad of ['10.0.0.300', '10.0.0', '::1', '010.0.0.1x']) expect(encodeIpv4(bad), bad).toBeNull();
  });

  it('IPv6 prefixes (RFC 3162 §2.3): encodes the full address, reads short forms, refuses bits past the length', () => {
    expect(encodeIpv6Prefix('2001:db8:aa00::/40')).toEqual(hex('0028 20010db8aa0000000000000000000000'));
    expect(readIpv6Prefix(hex('0028 20010db8aa'), 0, 7)).toBe('2001:db8:aa00::/40');
    expect(readIpv6Prefix(hex('0000'), 0, 2)).toBe('::/0');
    expect(readIpv6Prefix(hex('0081 20010db8'), 0, 6)).toBeUndefined(); // length 129
    expect(readIpv6Prefix(hex('0040 20010db8'), 0, 6)).toBeUndefined(); // 64 bits announced, 32 given
    expect(encodeIpv6Prefix('2001:db8::1/64')).toBeNull();
    expect(encodeIpv6Prefix('2001:db8::/129')).toBeNull();
    expect(encodeIpv6Prefix('2001:db8::')).toBeNull();
  });
});
