import { describe, expect, it } from 'vitest';
import { addressThrottleKey, clientAddress } from './client-address';

const req = (remoteAddress: string, xff?: string | string[]) => ({ socket: { remoteAddress }, headers: { 'x-forwarded-for': xff } });

describe('clientAddress', () => {
  it('is the connection’s address, in canonical form, when no proxy is trusted', () => {
    expect(clientAddress(req('198.51.100.7'), 0)).toBe('198.51.100.7');
    expect(clientAddress(req('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
    expect(clientAddress(req('2001:DB8:0:0::1'), 0)).toBe('2001:db8::1');
    expect(clientAddress({ socket: null, headers: {} }, 0)).toBe('');
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says proxies stand in front', () => {
    expect(clientAddress(req('198.51.100.7', '203.0.113.9'), 0)).toBe('198.51.100.7');
  });

  it('with one trusted proxy takes the entry that proxy appended, never what the client wrote before it', () => {
    expect(clientAddress(req('10.0.0.2', '203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(req('10.0.0.2', '1.1.1.1, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(req('10.0.0.2', ['1.1.1.1', '203.0.113.9:51234']), 1)).toBe('203.0.113.9');
    expect(clientAddress(req('10.0.0.2', '[2001:db8::7]:443'), 1)).toBe('2001:db8::7');
  });

  it('with two trusted proxies takes the second entry from the right', () => {
    expect(clientAddress(req('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.1'), 2)).toBe('203.0.113.9');
  });

  it('falls back to the connection’s address when the header is missing or garbage', () => {
    expect(clientAddress(req('10.0.0.2'), 1)).toBe('10.0.0.2');
    expect(clientAddress(req('10.0.0.2', 'unknown'), 1)).toBe('10.0.0.2');
  });
});

describe('addressThrottleKey', () => {
  it('keeps an IPv4 address and counts an IPv6 one by its /64', () => {
    expect(addressThrottleKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressThrottleKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressThrottleKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressThrottleKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressThrottleKey('::1')).toBe('0:0:0:0::/64');
  });
});
