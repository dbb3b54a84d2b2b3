// An address for a new PPP session from one of the router's `/ip pool`s.
import type { SimPoolConfig } from './types';

function toNumber(ip: string): number | null {
  const parts = ip.trim().split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function toDotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** `a-b`, `a`, `a/len` items as [first, last]; unreadable items are skipped (RouterOS would not have saved them). */
function intervals(ranges: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const item of ranges
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [base, prefix] = item.split('/');
    if (prefix !== undefined) {
      const first = toNumber(base);
      const bits = Number(prefix);
      if (first === null || !Number.isInteger(bits) || bits < 0 || bits > 32) continue;
      const size = 2 ** (32 - bits);
      const network = first - (first % size);
      out.push([network, network + size - 1]);
      continue;
    }
    const [a, b = a] = item.split('-');
    const first = toNumber(a);
    const last = toNumber(b);
    if (first !== null && last !== null && first <= last) out.push([first, last]);
  }
  return out;
}

/**
 * The highest free address of the pool, as RouterOS hands them out; null when the pool does not exist or is
 * full (the router then refuses the connection).
 */
export function allocateFromPool(pools: readonly SimPoolConfig[], poolName: string, inUse: ReadonlySet<string>): string | null {
  const pool = pools.find((p) => p.name === poolName);
  if (!pool) return null;
  for (const [first, last] of intervals(pool.ranges).reverse()) {
    for (let n = last; n >= first; n--) {
      const ip = toDotted(n);
      if (!inUse.has(ip)) return ip;
    }
  }
  return null;
}
