import { z } from 'zod';

/**
 * What the browser may see of a subscriber: the whitelist. Every subscriber procedure's output goes through one
 * of these schemas at runtime, which strips any key not listed, so the sealed password (`password_enc`) can
 * never leave the server even if a service selected it by mistake. There is no password field at all.
 */
const ZRef = z.object({ id: z.number(), name: z.string() });

/** The subscriber's open session now (an open radacct row), if any. */
const ZOnline = z.object({
  framedIp: z.string().nullable(),
  startedAt: z.string().nullable(),
  nasIp: z.string(),
  callingStationId: z.string().nullable(),
});

export const ZSubscriberListItem = z.object({
  id: z.number(),
  username: z.string(),
  enabled: z.boolean(),
  staticIp: z.string().nullable(),
  nas: ZRef.extend({ ipAddress: z.string() }).nullable(),
  plan: ZRef.nullable(),
  reseller: ZRef.nullable(),
  /** A reseller's subscriber on a NAS no longer assigned to that reseller ("NAS not assigned to your reseller"). */
  nasNotAssigned: z.boolean(),
  online: ZOnline.nullable(),
  /** The start of the most recent session, open or closed. */
  lastSessionAt: z.string().nullable(),
});

export const ZSubscriberList = z.object({
  items: z.array(ZSubscriberListItem),
  /** Matches counted up to a cap (exact below it): a count over 500,000 rows per request is not worth its cost. */
  total: z.number(),
  totalCapped: z.boolean(),
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const ZSubscriberSession = z.object({
  id: z.number(),
  startedAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  sessionTime: z.number().nullable(),
  nasIp: z.string(),
  framedIp: z.string().nullable(),
  callingStationId: z.string().nullable(),
  inputBytes: z.number().nullable(),
  outputBytes: z.number().nullable(),
  terminateCause: z.string().nullable(),
});

export const ZSubscriberHistoryEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorEmail: z.string(),
  action: z.string(),
  summary: z.string(),
  changedFields: z.array(z.string()),
});

export const ZSubscriberDetail = ZSubscriberListItem.extend({
  hasPassword: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sessions: z.array(ZSubscriberSession),
  history: z.array(ZSubscriberHistoryEntry),
});

/** What the form's selects offer; `resellerIds` lets an admin's form narrow them to the chosen reseller. */
export const ZSubscriberFormOptions = z.object({
  nas: z.array(ZRef.extend({ ipAddress: z.string(), resellerIds: z.array(z.number()) })),
  plans: z.array(ZRef),
  resellers: z.array(ZRef),
});

export type SubscriberListItem = z.infer<typeof ZSubscriberListItem>;
export type SubscriberList = z.infer<typeof ZSubscriberList>;
export type SubscriberDetail = z.infer<typeof ZSubscriberDetail>;
export type SubscriberSession = z.infer<typeof ZSubscriberSession>;
export type SubscriberHistoryEntry = z.infer<typeof ZSubscriberHistoryEntry>;
export type SubscriberFormOptions = z.infer<typeof ZSubscriberFormOptions>;
