import { z } from 'zod';
import { canonicalIp, isHostname } from '@/lib/ip-address';
import { singleLine, zId } from './common';

/** Ping / Traceroute through a NAS (run on the router via its API). */
export const ZRouterDiagnosticInput = z.object({
  id: zId('NAS id'),
  tool: z.enum(['ping', 'traceroute'], { message: 'Tool must be ping or traceroute' }),
  address: singleLine('Address', 253)
    .min(1, 'Address is required')
    .refine((s) => canonicalIp(s) !== null || isHostname(s), 'Address must be an IP address or a host name'),
  count: z.coerce
    .number({ message: 'Count must be a number' })
    .int('Count must be a whole number')
    .min(1, 'Count must be between 1 and 10')
    .max(10, 'Count must be between 1 and 10')
    .default(4),
});

export type RouterDiagnosticInput = z.infer<typeof ZRouterDiagnosticInput>;
