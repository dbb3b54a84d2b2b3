// Expands a MikroTik `/ip pool` `ranges` value ("10.0.0.2-10.0.0.254,10.0.1.0/24") into addresses.
// Ranges are merged as intervals first, so counting and the size cap never allocate per address.
//
// CIDR items include the network and broadcast addresses, as RouterOS does for pool ranges:
// `ranges=10.10.10.0/24` hands out all 256 addresses. Host bits in a CIDR item are ignored
// (`10.10.10.7/24` is the same /24).

export const DEFAULT_MAX_POOL_ADDRESSES = 65_536;

export class PoolRangeError extends Error {
  override name = 'PoolRangeError';
}

export interface PoolRangeOptions {
  /** Refuse pools with more unique addresses than this. Default 65536. */
  maxAddresses?: number;
  /** Named in error messages: `pool "ppp-1": ...`. */
  poolName?: string;
}

interface Interval {
  first: number;
  last: number;
}

const OCTET = /^(0|[1-9]\d{0,2})$/; // decimal only: a leading zero would be octal to inet_aton

export function parseIpv4(s: string): number | null {
  const parts = s.trim().split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    n = n * 256 + octet; // arithmetic, not bit shifts: stays a non-negative uint32
  }
  return n;
}

export function formatIpv4(n: number): string {
  return `${Math.floor(n / 16_777_216) % 256}.${Math.floor(n / 65_536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

export function countPoolRanges(ranges: string, opts: Pick<PoolRangeOptions, 'poolName'> = {}): number {
  return countIntervals(parsePoolRanges(ranges, opts.poolName));
}

/** Unique addresses, ascending, as dotted quads. */
export function expandPoolRanges(ranges: string, opts: PoolRangeOptions = {}): string[] {
  return Array.from(expandPoolRangesToUint32(ranges, opts), formatIpv4);
}

/** Unique addresses, ascending, as uint32: the fast path for bulk inserts of /16s. */
export function expandPoolRangesToUint32(ranges: string, opts: PoolRangeOptions = {}): Uint32Array {
  const maxAddresses = opts.maxAddresses ?? DEFAULT_MAX_POOL_ADDRESSES;
  const intervals = parsePoolRanges(ranges, opts.poolName);
  const count = countIntervals(intervals);
  if (count > maxAddresses) {
    throw new PoolRangeError(
      `${poolLabel(opts.poolName)} has ${count} addresses, more than the ${maxAddresses} allowed per pool (POOL_IMPORT_MAX_ADDRESSES)`,
    );
  }

  const out = new Uint32Array(count);
  let i = 0;
  for (const { first, last } of intervals) {
    for (let n = first; n <= last; n++) out[i++] = n;
  }
  return out;
}

/** Parses every item and returns sorted, non-overlapping, non-adjacent intervals. */
function parsePoolRanges(ranges: string, poolName: string | undefined): Interval[] {
  const intervals = ranges
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '') // "a, b," from hand-edited configs is harmless
    .map((item) => parseItem(item, poolName));
  return mergeIntervals(intervals);
}

function parseItem(item: string, poolName: string | undefined): Interval {
  const fail = (why: string) => new PoolRangeError(`${poolPrefix(poolName)}"${item}" ${why}`);

  if (item.includes(':')) throw fail('is IPv6; only IPv4 pools can be imported');

  const slash = item.indexOf('/');
  if (slash !== -1) {
    const base = parseIpv4(item.slice(0, slash));
    const prefixText = item.slice(slash + 1).trim();
    if (base === null) throw fail('is not an IPv4 address or range');
    if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) throw fail('has a prefix length outside 0-32');
    const size = 2 ** (32 - Number(prefixText));
    const first = base - (base % size);
    return { first, last: first + size - 1 };
  }

  const dash = item.indexOf('-');
  if (dash !== -1) {
    const first = parseIpv4(item.slice(0, dash));
    const last = parseIpv4(item.slice(dash + 1));
    if (first === null || last === null) throw fail('is not an IPv4 address or range');
    if (last < first) throw fail('ends before it starts');
    return { first, last };
  }

  const single = parseIpv4(item);
  if (single === null) throw fail('is not an IPv4 address or range');
  return { first: single, last: single };
}

function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.first - b.first);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const prev = merged.at(-1);
    if (prev && next.first <= prev.last + 1) {
      prev.last = Math.max(prev.last, next.last);
    } else {
      merged.push({ ...next });
    }
  }
  return merged;
}

function countIntervals(intervals: Interval[]): number {
  return intervals.reduce((sum, { first, last }) => sum + (last - first + 1), 0);
}

function poolPrefix(poolName: string | undefined): string {
  return poolName === undefined ? '' : `pool "${poolName}": `;
}

function poolLabel(poolName: string | undefined): string {
  return poolName === undefined ? 'the pool' : `pool "${poolName}"`;
}
