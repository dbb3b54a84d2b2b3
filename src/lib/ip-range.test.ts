import { describe, expect, it } from 'vitest';
import { PoolRangeError, countPoolRanges, expandPoolRanges, expandPoolRangesToUint32, formatIpv4, parseIpv4 } from './ip-range';

describe('parseIpv4 / formatIpv4', () => {
  it('round-trips the edges of the address space', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(4_294_967_295);
    expect(parseIpv4('10.1.2.3')).toBe(0x0a010203);
    expect(formatIpv4(4_294_967_295)).toBe('255.255.255.255');
    expect(formatIpv4(0x0a010203)).toBe('10.1.2.3');
  });

  it.each(['10.0.0.256', '10.0.0', '10.0.0.1.1', '10.0.0.-1', '10.0.0.01', 'a.b.c.d', '', '10..0.1'])('refuses %j', (s) =>
    expect(parseIpv4(s)).toBeNull(),
  );
});

describe('expandPoolRanges', () => {
  it('returns [] for an empty or blank value', () => {
    expect(expandPoolRanges('')).toEqual([]);
    expect(expandPoolRanges('  ')).toEqual([]);
    expect(countPoolRanges('')).toBe(0);
  });

  it('expands a single address', () => {
    expect(expandPoolRanges('10.0.0.7')).toEqual(['10.0.0.7']);
  });

  it('expands an a-b range inclusively, across an octet boundary', () => {
    expect(expandPoolRanges('10.0.0.254-10.0.1.1')).toEqual(['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1']);
    expect(expandPoolRanges('10.0.0.5-10.0.0.5')).toEqual(['10.0.0.5']);
  });

  it('includes network and broadcast addresses for CIDR items, like RouterOS', () => {
    const slash24 = expandPoolRanges('10.10.10.0/24');
    expect(slash24).toHaveLength(256);
    expect(slash24[0]).toBe('10.10.10.0');
    expect(slash24[255]).toBe('10.10.10.255');

    expect(expandPoolRanges('10.10.10.9/32')).toEqual(['10.10.10.9']);
    expect(expandPoolRanges('10.10.10.8/31')).toEqual(['10.10.10.8', '10.10.10.9']);
    expect(expandPoolRanges('10.10.10.7/24')[0]).toBe('10.10.10.0'); // host bits ignored
  });

  it('expands a /16 quickly', () => {
    const started = performance.now();
    const all = expandPoolRanges('172.16.0.0/16');
    expect(all).toHaveLength(65_536);
    expect(all[0]).toBe('172.16.0.0');
    expect(all[65_535]).toBe('172.16.255.255');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('deduplicates overlaps and sorts comma lists, tolerating whitespace', () => {
    const ranges = ' 10.0.0.5 - 10.0.0.8 ,10.0.0.1, 10.0.0.7-10.0.0.9 , 10.0.0.8/31,10.0.0.1 ,';
    expect(expandPoolRanges(ranges)).toEqual(['10.0.0.1', '10.0.0.5', '10.0.0.6', '10.0.0.7', '10.0.0.8', '10.0.0.9']);
    expect(countPoolRanges(ranges)).toBe(6);
  });

  it('names the pool and the piece when a range is reversed', () => {
    expect(() => expandPoolRanges('10.0.0.1,10.0.0.9-10.0.0.1', { poolName: 'ppp-1' })).toThrow(
      new PoolRangeError('pool "ppp-1": "10.0.0.9-10.0.0.1" ends before it starts'),
    );
  });

  it.each([
    ['10.0.0.300', '"10.0.0.300" is not an IPv4 address or range'],
    ['10.0.0.1-10.0.0.999', '"10.0.0.1-10.0.0.999" is not an IPv4 address or range'],
    ['10.0.0.0/33', '"10.0.0.0/33" has a prefix length outside 0-32'],
    ['pool1', '"pool1" is not an IPv4 address or range'],
  ])('refuses malformed %j', (ranges, message) => {
    expect(() => expandPoolRanges(ranges, { poolName: 'p' })).toThrow(new PoolRangeError(`pool "p": ${message}`));
    expect(() => countPoolRanges(ranges, { poolName: 'p' })).toThrow(PoolRangeError);
  });

  it('refuses IPv6 ranges with a clear message', () => {
    expect(() => expandPoolRanges('2001:db8::10-2001:db8::ff', { poolName: 'v6' })).toThrow(
      'pool "v6": "2001:db8::10-2001:db8::ff" is IPv6; only IPv4 pools can be imported',
    );
  });

  it('allows exactly the cap and refuses one more', () => {
    expect(expandPoolRangesToUint32('10.0.0.0/16')).toHaveLength(65_536);
    expect(() => expandPoolRanges('10.0.0.0/16,10.1.0.0', { poolName: 'big' })).toThrow(
      new PoolRangeError('pool "big" has 65537 addresses, more than the 65536 allowed per pool (POOL_IMPORT_MAX_ADDRESSES)'),
    );
    expect(() => expandPoolRanges('10.0.0.1-10.0.0.3', { maxAddresses: 2 })).toThrow(/the pool has 3 addresses/);
  });

  it('counts a /8 and refuses it without expanding it', () => {
    expect(countPoolRanges('10.0.0.0/8')).toBe(16_777_216);
    expect(countPoolRanges('0.0.0.0/0')).toBe(4_294_967_296);
    const started = performance.now();
    expect(() => expandPoolRanges('10.0.0.0/8', { poolName: 'x' })).toThrow(
      'pool "x" has 16777216 addresses, more than the 65536 allowed per pool (POOL_IMPORT_MAX_ADDRESSES)',
    );
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('expandPoolRangesToUint32', () => {
  it('returns sorted unique uint32 values', () => {
    const out = expandPoolRangesToUint32('10.0.0.3,10.0.0.1-10.0.0.2,10.0.0.2');
    expect(Array.from(out)).toEqual([0x0a000001, 0x0a000002, 0x0a000003]);
    expect(expandPoolRangesToUint32('255.255.255.254/31')[1]).toBe(4_294_967_295);
  });
});
