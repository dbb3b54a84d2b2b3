import { z } from 'zod';

/**
 * What the browser may see of a NAS: explicit whitelists, enforced at runtime as the procedures' output
 * schemas (unknown keys are stripped). Secrets appear only as `hasSecret` / `hasApiPassword`.
 */
export const ZNasListItem = z.object({
  id: z.number(),
  name: z.string(),
  shortName: z.string(),
  ipAddress: z.string(),
  type: z.enum(['mikrotik', 'generic']),
  isActive: z.boolean(),
  isOnline: z.boolean(),
  lastSeen: z.string().nullable(),
  version: z.string(),
  activeSessions: z.number(),
  hasSecret: z.boolean(),
  hasApiPassword: z.boolean(),
  hasApiCredentials: z.boolean(),
  /** Pool import: none | queued | importing | retrying (waiting for its next try) | done | failed, and why. */
  poolImportState: z.enum(['none', 'queued', 'importing', 'retrying', 'done', 'failed']),
  poolImportError: z.string(),
});

export const ZNasDetail = ZNasListItem.extend({
  /** Set but no configured key opens it (key lost, or the row was altered): the form asks for a new one. */
  secretUnreadable: z.boolean(),
  apiPasswordUnreadable: z.boolean(),
  description: z.string(),
  authPort: z.number(),
  acctPort: z.number(),
  coaPort: z.number(),
  apiUsername: z.string(),
  apiPort: z.number(),
  apiSslPort: z.number(),
  useSsl: z.boolean(),
  tlsAllowAnonymous: z.boolean(),
  /** The pinned api-ssl certificate (SHA-256), and a different one the router presented since (to trust). */
  tlsFingerprint: z.string(),
  tlsSeenFingerprint: z.string(),
  apiHost: z.string(),
  subscriberPools: z.string(),
  allowedRealms: z.string(),
  totalUsers: z.number(),
  resellers: z.array(z.object({ id: z.number(), name: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ZNasHistoryEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorEmail: z.string(),
  action: z.string(),
  summary: z.string(),
  changedFields: z.array(z.string()),
});

export type NasListItem = z.infer<typeof ZNasListItem>;
export type NasDetail = z.infer<typeof ZNasDetail>;
export type NasHistoryEntry = z.infer<typeof ZNasHistoryEntry>;

export function toIso(v: Date | string | null): string | null {
  if (v === null) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}
