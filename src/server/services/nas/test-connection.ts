import { env } from '@/env';
import { withDeadline } from '@/lib/deadline';
import { canonicalIp } from '@/lib/ip-address';
import type { TestConnectionInput } from '@/lib/schemas/nas';
import { RETYPE_API_PASSWORD, RETYPE_SECRET, storedApiPasswordApplies, storedSecretApplies } from '@/lib/stored-secrets';
import type { CheckResult, TestConnectionResult } from '@/server/api/outputs/nas';
import type { Actor } from '@/server/auth/actor';
import { FieldError } from '@/server/errors';
import {
  readRadiusIncoming,
  readRadiusServers,
  readSystemInfo,
  routerDeadlines,
  RouterOsError,
  withRouterOs,
  type RouterOsSession,
  type RouterRadiusIncoming,
  type RouterRadiusServer,
  type RouterSystemInfo,
} from '@/server/integrations/routeros';
import { probeUdpPort, sendDisconnectProbe, type UdpProbeResult } from '@/server/integrations/radius';
import { API_PASSWORD_UNREADABLE, SECRET_UNREADABLE } from './nas-secrets';
import { withNasRouterOs } from './nas-router-session';
import { ago, radiusSeen, type RadiusSeen } from './radius-seen';
import { apiTarget, loadNasConnection, type NasConnection } from './nas-target';

interface ApiReading {
  info: RouterSystemInfo;
  tlsFingerprint: string | null;
  radius: RouterRadiusServer[] | Error;
  incoming: RouterRadiusIncoming | Error;
}

/** The three checks of the spec, in parallel, each under its own deadline. Secrets never enter a result. */
export async function testConnection(actor: Actor, input: TestConnectionInput): Promise<TestConnectionResult> {
  const nas = await resolveTarget(actor, input);
  // One profile for the whole action: it answers within budget.totalMs even when every check meets a black hole.
  const budget = routerDeadlines().testConnection;

  const apiStarted = Date.now();
  const read = async (s: RouterOsSession): Promise<ApiReading> => ({
    info: await readSystemInfo(s),
    radius: await readRadiusServers(s).catch((err: Error) => err),
    incoming: await readRadiusIncoming(s).catch((err: Error) => err),
    tlsFingerprint: s.tlsFingerprint,
  });
  const apiReading: Promise<ApiReading | Error | null> = nas.api
    ? withDeadline(
        // The stored endpoint keeps (and on first use takes) its certificate pin; typed values only test.
        nas.storedEndpoint
          ? withNasRouterOs({ id: nas.id, api: { ...nas.api, deadlines: budget } }, read)
          : withRouterOs({ ...nas.api, deadlines: budget }, read),
        budget.totalMs,
        `no answer from the API within ${budget.totalMs / 1000} s`,
      ).catch((err: Error) => err)
    : Promise.resolve(null);

  const radiusStarted = Date.now();
  // The service's view applies to the saved NAS at its saved address only.
  const seenFor = nas.id && nas.storedRadiusAddress ? radiusSeen(nas.id) : Promise.resolve(null);
  const [reading, probe, coa] = await Promise.all([
    apiReading,
    probeUdpPort({ host: nas.ipAddress, port: nas.authPort, timeoutMs: budget.probeMs }),
    timed(() => checkCoa(nas, budget.probeMs)),
  ]);
  const api = apiCheck(nas, reading, Date.now() - apiStarted);
  const radius = radiusCheck(nas, reading, probe, await seenFor, Date.now() - radiusStarted);
  return { radius, api, coa, ready: radius.status === 'ok' && coa.status === 'ok' && (api.status === 'ok' || api.status === 'skipped') };
}

/**
 * The NAS to test: a stored one, or the form's values. An empty secret or API password in the values means
 * the stored one only while the values still point where it was saved (src/lib/stored-secrets.ts).
 */
async function resolveTarget(
  actor: Actor,
  input: TestConnectionInput,
): Promise<NasConnection & { storedEndpoint: boolean; storedRadiusAddress: boolean }> {
  const stored = input.id !== undefined ? await loadNasConnection(actor, input.id) : null;
  const v = input.values;
  if (!v) {
    if (stored!.unreadable.secret) throw new FieldError('secret', SECRET_UNREADABLE);
    return { ...stored!, storedEndpoint: true, storedRadiusAddress: true };
  }
  let secret = v.secret;
  if (!secret && stored?.unreadable.secret) throw new FieldError('secret', SECRET_UNREADABLE);
  if (!secret && stored?.secret) {
    if (!storedSecretApplies(stored, v)) throw new FieldError('secret', RETYPE_SECRET);
    secret = stored.secret;
  }
  if (!secret) throw new FieldError('secret', 'Secret is required to test RADIUS and CoA');
  let apiPassword = v.apiPassword;
  const usesApi = v.type === 'mikrotik' && v.apiUsername !== '';
  if (!apiPassword && usesApi && stored?.unreadable.apiPassword) throw new FieldError('apiPassword', API_PASSWORD_UNREADABLE);
  if (!apiPassword && usesApi && stored?.api) {
    if (!storedApiPasswordApplies(stored.apiFields, v)) throw new FieldError('apiPassword', RETYPE_API_PASSWORD);
    apiPassword = stored.api.password;
  }
  // The saved endpoint keeps its certificate pin; anywhere else is a first meeting.
  const storedEndpoint = stored?.api ? storedApiPasswordApplies(stored.apiFields, v) : false;
  const tlsFingerprint = storedEndpoint ? stored!.api!.tlsPin : '';
  return {
    id: stored?.id ?? 0,
    name: stored?.name ?? 'new NAS',
    ipAddress: v.ipAddress,
    type: v.type,
    secret,
    authPort: v.authPort,
    acctPort: v.acctPort,
    coaPort: v.coaPort,
    api: apiTarget({ ...v, apiPassword, tlsFingerprint }),
    unreadable: { secret: false, apiPassword: false },
    apiFields: v,
    storedEndpoint,
    storedRadiusAddress: stored !== null && canonicalIp(stored.ipAddress) === canonicalIp(v.ipAddress),
  };
}

function apiCheck(nas: NasConnection, reading: ApiReading | Error | null, ms: number): CheckResult {
  if (nas.type === 'generic') return { status: 'skipped', summary: 'skipped: generic NAS has no RouterOS API', details: [], ms: 0 };
  if (nas.unreadable.apiPassword) return { status: 'failed', summary: API_PASSWORD_UNREADABLE, details: [], ms: 0 };
  if (!nas.api) return { status: 'skipped', summary: 'skipped: no API username and password configured', details: [], ms: 0 };
  const where = `${nas.api.tls ? 'api-ssl' : 'api'} ${nas.api.host}:${nas.api.port}`;
  if (reading instanceof Error || !reading) {
    const msg = reading instanceof Error ? reading.message : 'no result';
    const hint =
      reading instanceof RouterOsError && (reading.kind === 'timeout' || reading.kind === 'refused')
        ? ['check `/ip service` on the router: the api service must be enabled and allow this panel’s address']
        : [];
    return { status: 'failed', summary: msg, details: [...hint, `via ${where}`], ms };
  }
  const { info } = reading;
  const certificate = !nas.api.tls
    ? []
    : reading.tlsFingerprint
      ? [`api-ssl certificate SHA-256 ${reading.tlsFingerprint}${nas.api.tlsPin ? ' (the pinned one)' : ''}`]
      : ['anonymous TLS: the router has no certificate, so nothing proves it is the router (allowed on this NAS)'];
  return {
    status: 'ok',
    summary: `logged in to RouterOS ${info.version} (${info.identity})`,
    details: [`uptime ${info.uptime}`, ...(info.boardName ? [`board ${info.boardName}`] : []), `via ${where}`, ...certificate],
    ms,
  };
}

/**
 * The RADIUS check: what the RADIUS service has seen from this NAS (the truth: packets that verified, or failed
 * the secret check), beside the router's own `/radius` settings when the API can read them. For a generic BNG
 * (no API) the service's view is what can turn it green. The UDP probe of the NAS's port is reported as it is.
 */
function radiusCheck(
  nas: NasConnection,
  reading: ApiReading | Error | null,
  probe: UdpProbeResult,
  seen: RadiusSeen | null,
  ms: number,
): CheckResult {
  const probeLine = `UDP probe of ${nas.ipAddress}:${nas.authPort}: ${probe.detail}`;
  const service = serviceView(seen);
  if (reading && !(reading instanceof Error) && !(reading.radius instanceof Error)) {
    const config = compareRadiusConfig(nas, reading.radius, reading.incoming);
    // What the service saw outranks what /radius says: a router can be configured right and still send
    // with another secret (a second RADIUS entry, a typo in the password field that /radius does not show).
    if (service.status === 'failed') {
      return { status: 'failed', summary: service.line, details: [config.summary, ...config.details, probeLine], ms };
    }
    return {
      status: config.ok ? 'ok' : 'failed',
      summary: config.summary,
      details: [service.line, ...config.details, probeLine],
      ms,
    };
  }
  const why =
    reading instanceof Error || !reading
      ? 'router configuration not read (API unavailable)'
      : `router configuration not read: ${(reading.radius as Error).message}`;
  if (service.status !== 'unknown') return { status: service.status, summary: service.line, details: [why, probeLine], ms };
  switch (probe.state) {
    case 'answered':
      return { status: 'ok', summary: `udp/${nas.authPort} answered`, details: [service.line, probe.detail, why], ms };
    case 'closed':
      return {
        status: 'failed',
        summary: `udp/${nas.authPort} is closed (ICMP port unreachable)`,
        details: [service.line, probe.detail, why],
        ms,
      };
    case 'silent':
      return { status: 'warning', summary: service.line, details: [probe.detail, why], ms };
    default:
      return { status: 'failed', summary: probe.detail, details: [service.line, why], ms };
  }
}

// A verified packet within this long means the NAS and the RADIUS service agree on the secret now.
const RECENT_MS = 15 * 60_000;

function serviceView(seen: RadiusSeen | null): { status: 'ok' | 'failed' | 'warning' | 'unknown'; line: string } {
  if (!seen) return { status: 'unknown', line: 'RADIUS service: nothing to look up for a NAS that is not saved yet' };
  const since = seen.since.toISOString().slice(11, 16);
  const failingNow = seen.lastMismatchAt !== null && (seen.lastVerifiedAt === null || seen.lastMismatchAt > seen.lastVerifiedAt);
  if (failingNow && seen.recentMismatches > 0) {
    return {
      status: 'failed',
      line: `RADIUS service: requests arrive but fail the secret check (${seen.recentMismatches} since ${since} UTC)`,
    };
  }
  if (
    seen.recentMissingMessageAuthenticator > 0 &&
    (seen.lastVerifiedAt === null || Date.now() - seen.lastVerifiedAt.getTime() > RECENT_MS)
  ) {
    return {
      status: 'failed',
      line: `RADIUS service: Access-Requests arrive without Message-Authenticator and are dropped (${seen.recentMissingMessageAuthenticator} since ${since} UTC): on RouterOS >= 7.15 run /radius set require-message-auth=yes, or turn off "Require Message-Authenticator" for this NAS`,
    };
  }
  if (seen.lastVerifiedAt && Date.now() - seen.lastVerifiedAt.getTime() <= RECENT_MS) {
    return { status: 'ok', line: `RADIUS service: last verified request ${ago(seen.lastVerifiedAt)} ago` };
  }
  if (seen.lastVerifiedAt)
    return { status: 'warning', line: `RADIUS service: last verified request ${ago(seen.lastVerifiedAt)} ago, nothing since` };
  return { status: 'unknown', line: 'RADIUS service: nothing received from this address yet' };
}

/** Does the router's `/radius` send ppp to this panel with this NAS's secret and ports, and accept CoA? */
export function compareRadiusConfig(nas: NasConnection, servers: RouterRadiusServer[], incoming: RouterRadiusIncoming | Error) {
  const panel = env().PANEL_RADIUS_ADDRESS;
  const ppp = servers.filter((s) => s.service.includes('ppp') && !s.disabled);
  const details: string[] = [];
  let ok = true;
  let summary: string;
  if (ppp.length === 0) {
    ok = false;
    summary = 'the router has no enabled /radius entry for service=ppp';
    details.push(
      `add one: /radius add service=ppp address=${panel || 'PANEL_IP'} secret=… authentication-port=${nas.authPort} accounting-port=${nas.acctPort}`,
    );
  } else {
    const scored = ppp.map((s) => ({ s, problems: radiusMismatches(nas, s, panel) }));
    scored.sort((a, b) => a.problems.length - b.problems.length);
    const best = scored[0];
    if (best.problems.length === 0) {
      summary = `router's /radius entry for ppp points at ${best.s.address} with the same secret and ports`;
      if (!panel) details.push('address not checked: set PANEL_RADIUS_ADDRESS to the address routers should use for this panel');
    } else {
      ok = false;
      summary = `router's /radius entry for ppp (${best.s.address}) differs: ${best.problems.join('; ')}`;
    }
  }
  if (incoming instanceof Error) {
    details.push(`/radius incoming not read: ${incoming.message}`);
  } else if (!incoming.accept) {
    ok = false;
    details.push(`incoming CoA is off: run /radius incoming set accept=yes port=${nas.coaPort}`);
  } else if (incoming.port !== nas.coaPort) {
    ok = false;
    details.push(`incoming CoA listens on port ${incoming.port}, but this NAS's CoA Port is ${nas.coaPort}`);
  } else {
    details.push(`incoming CoA accepted on port ${incoming.port}`);
  }
  return { ok, summary, details };
}

function radiusMismatches(nas: NasConnection, s: RouterRadiusServer, panel: string | undefined): string[] {
  const out: string[] = [];
  if (panel && s.address !== panel) out.push(`address ${s.address}, expected ${panel}`);
  if (s.secret !== nas.secret) out.push('secret does not match this NAS’s secret');
  if (s.authPort !== nas.authPort) out.push(`authentication-port ${s.authPort}, expected ${nas.authPort}`);
  if (s.acctPort !== nas.acctPort) out.push(`accounting-port ${s.acctPort}, expected ${nas.acctPort}`);
  return out;
}

async function checkCoa(nas: NasConnection, timeoutMs: number): Promise<Omit<CheckResult, 'ms'>> {
  const r = await sendDisconnectProbe({ host: nas.ipAddress, port: nas.coaPort, secret: nas.secret, timeoutMs });
  const line = `Disconnect-Request for a session that cannot exist, to ${nas.ipAddress}:${nas.coaPort}`;
  switch (r.result) {
    case 'ack':
    case 'nak':
      return { status: 'ok', summary: r.detail, details: [line] };
    case 'bad-authenticator':
      return { status: 'failed', summary: 'secret mismatch: the reply does not verify with this NAS’s secret', details: [r.detail, line] };
    case 'closed':
      return { status: 'failed', summary: `udp/${nas.coaPort} is closed (ICMP port unreachable)`, details: [r.detail, line] };
    case 'no-answer':
      return { status: 'failed', summary: 'no answer', details: [r.detail, line] };
    default:
      return { status: 'failed', summary: r.detail, details: [line] };
  }
}

async function timed(fn: () => Promise<Omit<CheckResult, 'ms'>>): Promise<CheckResult> {
  const t = Date.now();
  const r = await fn();
  return { ...r, ms: Date.now() - t };
}
