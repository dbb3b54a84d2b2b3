import { z } from 'zod';

/**
 * What the browser may see of a NAS: the secret whitelist. Every NAS procedure's output goes through one of
 * these schemas at runtime, which strips any key not listed here, so a secret a service might add to a row by
 * mistake never leaves the server. Secrets appear only as `hasSecret` / `hasApiPassword`. The services type
 * their results with these (type-only imports); the browser takes its types from the router.
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
  /** Total Users: the NAS's subscribers (a maintained count). */
  totalUsers: z.number(),
  hasSecret: z.boolean(),
  hasApiPassword: z.boolean(),
  hasApiCredentials: z.boolean(),
  /** Pool import: none | queued | importing | retrying (waiting for its next try) | done | failed, and why. */
  poolImportState: z.enum(['none', 'queued', 'importing', 'retrying', 'done', 'failed']),
  poolImportError: z.string(),
});

export const ZNasList = z.object({ items: z.array(ZNasListItem), total: z.number() });

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
  requireMessageAuthenticator: z.boolean(),
  /** The pinned api-ssl certificate (SHA-256), and a different one the router presented since (to trust). */
  tlsFingerprint: z.string(),
  tlsSeenFingerprint: z.string(),
  apiHost: z.string(),
  subscriberPools: z.string(),
  allowedRealms: z.string(),
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

/** ok = verified; warning = no error seen but nothing proven (never shown as a plain green). */
const ZCheck = z.object({
  status: z.enum(['ok', 'warning', 'failed', 'skipped']),
  summary: z.string(),
  details: z.array(z.string()),
  ms: z.number(),
});

export const ZTestConnectionResult = z.object({ radius: ZCheck, api: ZCheck, coa: ZCheck, ready: z.boolean() });

export const ZDiagnosticResult = z.object({
  tool: z.enum(['ping', 'traceroute']),
  rows: z.array(z.object({ seq: z.number(), host: z.string(), time: z.string(), status: z.string(), loss: z.string() })),
  summary: z.string(),
  ms: z.number(),
});

/** A NAS's pool import and its per-pool totals: what the NAS page polls while an import runs. */
export const ZPoolStatus = z.object({
  import: z.object({
    state: z.enum(['none', 'queued', 'importing', 'retrying', 'done', 'failed']),
    reason: z.string(),
    error: z.string(),
    attempts: z.number(),
    nextAttemptAt: z.string().nullable(),
    requestedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    lastResult: z
      .object({
        addresses: z.number(),
        added: z.number(),
        updated: z.number(),
        removed: z.number(),
        inUse: z.number(),
        pppActive: z.number(),
      })
      .nullable(),
  }),
  pools: z.array(z.object({ name: z.string(), total: z.number(), inUse: z.number(), available: z.number() })),
});

/** A device that sent RADIUS from an address no NAS has: what the RADIUS service saw of it. */
export const ZUnknownDevice = z.object({
  sourceIp: z.string(),
  nasIdentifier: z.string(),
  nasIpAddress: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  packets: z.number(),
});

export type NasListItem = z.infer<typeof ZNasListItem>;
export type UnknownDevice = z.infer<typeof ZUnknownDevice>;
export type PoolStatus = z.infer<typeof ZPoolStatus>;
export type NasList = z.infer<typeof ZNasList>;
export type NasDetail = z.infer<typeof ZNasDetail>;
export type NasHistoryEntry = z.infer<typeof ZNasHistoryEntry>;
export type CheckResult = z.infer<typeof ZCheck>;
export type CheckStatus = CheckResult['status'];
export type TestConnectionResult = z.infer<typeof ZTestConnectionResult>;
export type DiagnosticResult = z.infer<typeof ZDiagnosticResult>;
