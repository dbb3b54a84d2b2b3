import { nasHost } from '../lib/config';
import type { NasEndpoint } from './workloads';

/**
 * The bench world's NAS as the generator speaks for them (bench/lib/world.ts): NAS #n is `bng-000n` on
 * 127.0.100.0 + n, every one with the bench secret. For pointing the measurements at our own service.
 */
export function worldNas(count: number, secret: string): NasEndpoint[] {
  return Array.from({ length: count }, (_, i) => ({
    address: nasHost(i + 1),
    secret,
    identifier: `bng-${String(i + 1).padStart(4, '0')}`,
  }));
}

/** The n of `nasHost(n)`: which world NAS an address is. */
export function worldNasNumber(address: string): number {
  const [a, b, c, d] = address.split('.').map(Number);
  return ((a << 24) + (b << 16) + (c << 8) + d - ((127 << 24) + (100 << 8))) >>> 0;
}

/**
 * A subscriber of the NAS that asks: in the world, subscriber k belongs to NAS (k mod nasCount) + 1
 * (bench/lib/world.ts), and our service rejects a subscriber who logs in through another NAS, as a real
 * router fleet never asks. FreeRADIUS gets the same requests.
 */
export function ownSubscriber(nasCount: number, subscribers: number) {
  return (nas: NasEndpoint, random: number): number => {
    // k mod nasCount = n − 1 for NAS #n; the smallest such k ≥ 1.
    const first = (worldNasNumber(nas.address) - 1) % nasCount || nasCount;
    const count = Math.floor((subscribers - first) / nasCount) + 1;
    return first + nasCount * Math.floor(random * count);
  };
}
