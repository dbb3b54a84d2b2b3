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
