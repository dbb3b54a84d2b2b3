import { z } from 'zod';
import { canonicalIp, isHostname } from '@/lib/ip-address';
import { singleLine, zId } from './common';

/**
 * NSLookup through a NAS: a host name only (an address has nothing to look up forward), lower-cased and without
 * the root's trailing dot. Only letters, digits, hyphens and dots pass, which is also what makes it safe to place
 * inside the `:resolve "…"` script a router without /tool/dns-lookup runs.
 */
export const ZNsLookupInput = z.object({
  id: zId('NAS id'),
  name: singleLine('Name', 254)
    .min(1, 'Name is required')
    .transform((s) => s.toLowerCase().replace(/\.$/, ''))
    .refine((s) => canonicalIp(s) === null, 'Name must be a host name, not an address')
    .refine((s) => isHostname(s) && s.includes('.'), 'Name must be a host name such as example.com'),
});

export type NsLookupInput = z.infer<typeof ZNsLookupInput>;
