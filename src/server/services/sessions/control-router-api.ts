// The RouterOS API side of Disconnect and rate change: the fallback when CoA does not do it.
import type { PlanReplyFields } from '@/lib/radius-reply';
import {
  readHotspotActiveByUser,
  readPppActiveByName,
  readSimpleQueueByName,
  removeHotspotActive,
  removePppActive,
  routerDeadlines,
  RouterOsError,
  setSimpleQueueLimits,
  type RouterOsSession,
  type RouterOsTarget,
  type RouterPppActive,
  type SimpleQueueLimits,
} from '@/server/integrations/routeros';
import { withNasRouterOs } from '@/server/services/nas/nas-router-session';
import type { ControlSession } from './control-target';

/** What the API did, or why it did not, as the end of a sentence. */
export interface ApiAttempt {
  ok: boolean;
  detail: string;
}

type Nas = { id: number; api: RouterOsTarget };

/** Small reads and one write: a router that needs longer than this for them is not going to do it. */
const COMMAND_MS = 2000;

/** Deadlines of one API fallback: connect + login, and each of its (at most three) commands. */
export function apiFallbackDeadlines() {
  return { connectMs: routerDeadlines().connectMs, commandMs: COMMAND_MS };
}

/** Ends the session by name: its `/ppp/active` entry, else a hotspot login of that user. */
export function removeThroughApi(nas: Nas, session: ControlSession): Promise<ApiAttempt> {
  const user = session.username;
  if (!user) return Promise.resolve({ ok: false, detail: 'has no User-Name to find the session by' });
  return withApi(nas, async (s) => {
    const ppp = await readPppActiveByName(s, user);
    if (ppp.length > 0) {
      const pick = pickPppSession(ppp, session);
      if ('refusal' in pick) return { ok: false, detail: pick.refusal };
      await removePppActive(s, pick.id);
      return { ok: true, detail: `removed ${user}'s PPP session (${pick.id}) with /ppp/active/remove` };
    }
    const hotspot = (await readHotspotActiveByUser(s, user)).filter(
      (h) => !session.framedIp || !h.address || h.address === session.framedIp,
    );
    if (hotspot.length === 1) {
      await removeHotspotActive(s, hotspot[0].id);
      return { ok: true, detail: `logged ${user} out with /ip/hotspot/active/remove` };
    }
    if (hotspot.length > 1) return { ok: false, detail: `found ${hotspot.length} hotspot logins of ${user} and removed none` };
    return {
      ok: false,
      detail: `found no PPP or hotspot session of ${user} on the router: it has ended there (close it by hand if its Stop never arrives)`,
    };
  });
}

/**
 * Sets the dynamic queue RouterOS made from the session's Mikrotik-Rate-Limit (`<pppoe-alice>`) to the plan's
 * rates. It holds until the session ends; the next login gets the plan from RADIUS anyway.
 */
export function setRateThroughApi(nas: Nas, session: ControlSession, plan: PlanReplyFields): Promise<ApiAttempt> {
  const user = session.username;
  if (!user) return Promise.resolve({ ok: false, detail: 'has no User-Name to find the session by' });
  return withApi(nas, async (s) => {
    const ppp = await readPppActiveByName(s, user);
    if (ppp.length === 0) return { ok: false, detail: `found no PPP session of ${user} on the router` };
    const pick = pickPppSession(ppp, session);
    if ('refusal' in pick) return { ok: false, detail: pick.refusal };
    const queueName = `<${pick.service ?? 'pppoe'}-${user}>`;
    const queue = await readSimpleQueueByName(s, queueName);
    if (!queue) return { ok: false, detail: `found no queue ${queueName} on the router (the session got no rate limit at login)` };
    const limits = queueLimits(plan);
    await setSimpleQueueLimits(s, queue.id, limits);
    return { ok: true, detail: `set queue ${queueName} to max-limit=${limits.maxLimit} with /queue/simple/set` };
  });
}

/** The queue's fields for a plan, as RouterOS derives them from the Mikrotik-Rate-Limit radius-reply.ts sends. */
export function queueLimits(plan: PlanReplyFields): SimpleQueueLimits {
  const bps = (up: number, down: number) => `${up * 1000}/${down * 1000}`;
  const maxLimit = bps(plan.uploadKbps, plan.downloadKbps);
  const { burstUploadKbps: bu, burstDownloadKbps: bd } = plan;
  if (!bu || !bd) return { maxLimit, burstLimit: '0/0', burstThreshold: '0/0', burstTime: '0s/0s' };
  const time = plan.burstTimeS ?? 10;
  return {
    maxLimit,
    burstLimit: bps(bu, bd),
    burstThreshold: bps(plan.burstThresholdUploadKbps ?? plan.uploadKbps, plan.burstThresholdDownloadKbps ?? plan.downloadKbps),
    burstTime: `${time}s/${time}s`,
  };
}

/**
 * The router's entry for this session. Its session-id is the Acct-Session-Id RouterOS sent, so a newer session
 * of the same user (the old one's Stop lost) is never the one touched.
 */
function pickPppSession(ppp: RouterPppActive[], session: ControlSession): RouterPppActive | { refusal: string } {
  const matching = ppp.filter((p) =>
    p.sessionId ? sameSessionId(p.sessionId, session.acctSessionId) : !session.framedIp || !p.address || p.address === session.framedIp,
  );
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) return { refusal: `found ${matching.length} PPP sessions of ${session.username} that match and removed none` };
  return {
    refusal: `found ${session.username}'s PPP session on the router to be a newer one (session-id ${ppp[0].sessionId}, not ${session.acctSessionId}) and left it alone: this session has ended there (close it by hand if its Stop never arrives)`,
  };
}

/** RouterOS prints `session-id=0x81000068` and sends Acct-Session-Id `81000068`. */
function sameSessionId(routerId: string, acctSessionId: string): boolean {
  const normal = (id: string) => id.replace(/^0x/i, '').toLowerCase();
  return normal(routerId) === normal(acctSessionId);
}

async function withApi(nas: Nas, fn: (s: RouterOsSession) => Promise<ApiAttempt>): Promise<ApiAttempt> {
  try {
    return await withNasRouterOs({ id: nas.id, api: { ...nas.api, deadlines: apiFallbackDeadlines() } }, fn);
  } catch (e) {
    if (e instanceof RouterOsError) return { ok: false, detail: `failed: ${e.message}` };
    throw e;
  }
}
