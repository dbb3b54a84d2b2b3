import { z } from 'zod';

/** One side of an NSLookup: what the router (or the panel) answered for the name. */
export const ZNsLookupAnswer = z.object({
  /** answer: records below; nxdomain: the name does not exist; unsupported: this router cannot look names up over
   *  its API; unavailable: not tried (no API credentials); error: tried and failed (message says how). */
  status: z.enum(['answer', 'nxdomain', 'unsupported', 'unavailable', 'error']),
  /** How it was asked: `/tool/dns-lookup`, `:resolve`, `node:dns`, or '' when not asked. */
  method: z.string(),
  records: z.array(z.object({ type: z.string(), data: z.string(), ttl: z.string() })),
  message: z.string(),
  ms: z.number(),
});

export const ZNsLookupResult = z.object({ name: z.string(), router: ZNsLookupAnswer, panel: ZNsLookupAnswer });

export type NsLookupAnswer = z.infer<typeof ZNsLookupAnswer>;
export type NsLookupResult = z.infer<typeof ZNsLookupResult>;
