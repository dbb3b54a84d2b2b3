// Disconnect and live rate change of one open session: RFC 5176 first, the RouterOS API when CoA does not do it.
import { replyAttributes } from '@/lib/radius-reply';
import { env } from '@/env';
import type { Actor } from '@/server/auth/actor';
import { sendCoaRequest, sendDisconnect, type CoaResult, type RadiusAttributeList } from '@/server/integrations/radius';
import { db } from '@/server/db/client';
import { writeAudit } from '@/server/services/audit/write-audit';
import { API_PASSWORD_UNREADABLE } from '@/server/services/nas/nas-secrets';
import type { NasConnection } from '@/server/services/nas/nas-target';
import { whyCoaFailed } from './control-messages';
import { removeThroughApi, setRateThroughApi, type ApiAttempt } from './control-router-api';
import { loadControlTarget, type ControlSession, type ControlTarget } from './control-target';

export interface ControlOutcome {
  ok: boolean;
  /** What did it: CoA, the RouterOS API, or nothing. */
  path: 'coa' | 'api' | null;
  /** One sentence for the engineer: which path worked, and why the other did not. */
  message: string;
}

/** Only the attributes that set a rate: Framed-Pool, timeouts and a static IP cannot change on a live session. */
const RATE_ATTRIBUTES = new Set(['Mikrotik-Rate-Limit', 'Filter-Id', 'WISPr-Bandwidth-Max-Up', 'WISPr-Bandwidth-Max-Down']);

/**
 * Disconnect-Request with User-Name, Acct-Session-Id, Framed-IP-Address and NAS-IP-Address (what MikroTik and
 * other BNGs match on); when CoA does not do it, `/ppp/active/remove` (or the hotspot login) through the API.
 * The radacct row is not closed here: it closes when the router's Stop arrives.
 */
export async function disconnectSession(actor: Actor, radacctId: number): Promise<ControlOutcome> {
  const target = await loadControlTarget(actor, radacctId);
  const outcome = await control(target, {
    verb: 'disconnect',
    coa: (coa) => sendDisconnect({ ...coa, attributes: sessionIdentity(target.session) }),
    api: (nas) => removeThroughApi(nas, target.session),
  });
  await audit(actor, 'session.disconnect', target, outcome);
  return { ok: outcome.ok, path: outcome.path, message: outcome.message };
}

/**
 * CoA-Request with the rate attributes the subscriber's current plan gets at login (radius-reply.ts, by NAS type).
 * When CoA does not do it on a MikroTik with API credentials, the session's dynamic queue is set through the API.
 */
export async function changeSessionRate(actor: Actor, radacctId: number): Promise<ControlOutcome> {
  const target = await loadControlTarget(actor, radacctId);
  const { session, nas } = target;
  const plan = session.plan;
  const outcome: Outcome = plan
    ? await control(target, {
        verb: 'change the rate of',
        coa: (coa) => sendCoaRequest({ ...coa, attributes: [...sessionIdentity(session), ...rateAttributes(nas, session)] }),
        api: nas.type === 'mikrotik' ? (api) => setRateThroughApi(api, session, plan) : null,
      })
    : {
        ok: false,
        path: null,
        message: `${who(session)} has no plan in the panel (no subscriber of that name, or one without a plan): nothing was sent`,
        coa: null,
        api: null,
      };
  await audit(actor, 'session.rate', target, outcome, plan ? { plan: plan.name } : {});
  return { ok: outcome.ok, path: outcome.path, message: outcome.message };
}

/** What the plan sends at login that sets a rate, for this NAS's type. */
function rateAttributes(nas: Pick<NasConnection, 'type'>, session: ControlSession): RadiusAttributeList {
  return replyAttributes(nas, { staticIp: session.staticIp }, session.plan ?? undefined).filter(([name]) => RATE_ATTRIBUTES.has(name));
}

/** How the NAS finds the session (RFC 5176 §3): every identifier the accounting gave us. */
function sessionIdentity(session: ControlSession): RadiusAttributeList {
  const out: Array<[string, string]> = [];
  if (session.username) out.push(['User-Name', session.username]);
  out.push(['Acct-Session-Id', session.acctSessionId]);
  if (session.framedIp && !session.framedIp.includes(':')) out.push(['Framed-IP-Address', session.framedIp]);
  if (!session.nasIp.includes(':')) out.push(['NAS-IP-Address', session.nasIp]);
  return out;
}

interface Outcome extends ControlOutcome {
  coa: CoaResult | null;
  api: ApiAttempt | null;
}

interface Steps {
  verb: string;
  coa: (target: { host: string; port: number; secret: string; timeoutMs: number }) => Promise<CoaResult>;
  /** Null: this action has no API path on this NAS (a generic BNG takes a rate change by CoA only). */
  api: ((nas: { id: number; api: NonNullable<NasConnection['api']> }) => Promise<ApiAttempt>) | null;
}

/** CoA; on anything but an ACK, the API when there is one; then one sentence saying what happened and why. */
async function control({ session, nas }: ControlTarget, steps: Steps): Promise<Outcome> {
  const timeoutMs = env().RADIUS_PROBE_TIMEOUT_MS;
  const subject = `${who(session)} on ${nas.name}`;
  let coa: CoaResult | null = null;
  let coaWhy: string;
  if (nas.unreadable.secret) {
    coaWhy = 'was not sent: the NAS’s RADIUS secret can no longer be read (set it anew on the NAS page)';
  } else {
    coa = await steps.coa({ host: nas.ipAddress, port: nas.coaPort, secret: nas.secret, timeoutMs });
    if (coa.result === 'ack') {
      const what = steps.verb === 'disconnect' ? 'disconnected' : 'changed the rate of';
      const after =
        steps.verb === 'disconnect'
          ? "; the session closes here when the router's Stop arrives"
          : ` to plan ${session.plan?.name ?? ''} without reconnecting`.trimEnd();
      return { ok: true, path: 'coa', message: `CoA ${what} ${subject} (${coa.detail.split(':')[0]})${after}.`, coa, api: null };
    }
    coaWhy = whyCoaFailed(coa, nas.coaPort, timeoutMs);
  }

  const apiUnavailable = !steps.api
    ? 'a generic NAS takes a rate change by CoA only, so the new rate applies at the next login'
    : nas.unreadable.apiPassword && nas.type === 'mikrotik'
      ? `the API cannot be tried: ${API_PASSWORD_UNREADABLE}`
      : !nas.api
        ? `${nas.name} has no RouterOS API credentials to fall back on`
        : null;
  if (apiUnavailable !== null || !steps.api || !nas.api) {
    return { ok: false, path: null, message: `Could not ${steps.verb} ${subject}: CoA ${coaWhy}, and ${apiUnavailable}.`, coa, api: null };
  }

  const api = await steps.api({ id: nas.id, api: nas.api });
  const message = api.ok
    ? `Through the RouterOS API: ${api.detail}, because CoA ${coaWhy}.`
    : `Could not ${steps.verb} ${subject}: CoA ${coaWhy}, and the API ${api.detail}.`;
  return { ok: api.ok, path: api.ok ? 'api' : null, message, coa, api };
}

function who(session: ControlSession): string {
  return session.username ?? `session ${session.acctSessionId}`;
}

/** Who, which session, which path, the answer; never a secret (none is in any of these strings). */
async function audit(actor: Actor, action: string, { session, nas }: ControlTarget, outcome: Outcome, extra: Record<string, unknown> = {}) {
  await writeAudit(db(), actor, {
    action,
    entityType: 'session',
    // audit_log.entity_id is an integer; radacct ids past it stay in `changes`.
    entityId: session.id <= 2_147_483_647 ? session.id : null,
    summary: outcome.message,
    changes: {
      session: { id: session.id, username: session.username, acctSessionId: session.acctSessionId, framedIp: session.framedIp },
      nas: { id: nas.id, name: nas.name },
      ...extra,
      ok: outcome.ok,
      path: outcome.path,
      coa: outcome.coa ? { result: outcome.coa.result, detail: outcome.coa.detail, errorCause: outcome.coa.errorCause ?? null } : null,
      api: outcome.api,
    },
  });
}
