import { z } from 'zod';
import { ZSessionCursor } from '@/lib/schemas/sessions';

/**
 * What the browser may see of a session (a radacct row): the whitelist every sessions procedure's output goes
 * through. radacct holds no secret, but the NAS it joins does: only its id, name and address pass.
 */
export const ZSessionItem = z.object({
  id: z.number(),
  username: z.string().nullable(),
  /** The NAS row the session's NAS-IP-Address belongs to; null when no NAS has that address any more. */
  nas: z.object({ id: z.number(), name: z.string() }).nullable(),
  nasIp: z.string(),
  framedIp: z.string().nullable(),
  /** Calling-Station-Id: the subscriber's MAC on PPPoE and hotspot. */
  callingStationId: z.string().nullable(),
  acctSessionId: z.string(),
  /** NAS-Port-Id: on MikroTik the PPPoE interface (`<pppoe-alice>`), which Live Torch watches. */
  nasPortId: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** The last Start or Interim-Update. */
  updatedAt: z.string().nullable(),
  /** From the subscriber (Acct-Input-Octets: the router received it) and to the subscriber. */
  inputBytes: z.number().nullable(),
  outputBytes: z.number().nullable(),
  /** The subscriber of that username, when the caller may see it (for a link to its page). */
  subscriberId: z.number().nullable(),
});

export const ZSessionList = z.object({
  items: z.array(ZSessionItem),
  /** Open sessions matching the NAS filter (exact, from the per-NAS counts); with a search, counted up to a cap. */
  total: z.number(),
  totalCapped: z.boolean(),
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: ZSessionCursor.nullable(),
});

/** One session, open or closed (a page opened from the list may outlive the session). */
export const ZSessionDetail = ZSessionItem.extend({
  stoppedAt: z.string().nullable(),
  terminateCause: z.string().nullable(),
});

export const ZSessionNasOption = z.object({ id: z.number(), name: z.string(), ipAddress: z.string() });

export const ZClosedSession = z.object({ id: z.number(), username: z.string().nullable(), stoppedAt: z.string() });

export type SessionItem = z.infer<typeof ZSessionItem>;
export type SessionList = z.infer<typeof ZSessionList>;
export type SessionDetail = z.infer<typeof ZSessionDetail>;
export type ClosedSession = z.infer<typeof ZClosedSession>;
export type SessionNasOption = z.infer<typeof ZSessionNasOption>;
