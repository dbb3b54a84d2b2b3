import type { NsLookupAnswer, NsLookupResult } from '@/server/api/outputs/nslookup';
import type { NsLookupInput } from '@/lib/schemas/nslookup';
import type { Actor } from '@/server/auth/actor';
import { ADVISORY_LOCK_CLASSES, withTryAdvisoryLock } from '@/server/db/advisory-locks';
import { db, sqlClient } from '@/server/db/client';
import { ConflictError } from '@/server/errors';
import { routerDeadlines, RouterOsError, type RouterOsSession, type SessionDeadlines } from '@/server/integrations/routeros';
import { writeAudit } from '@/server/services/audit/write-audit';
import { withNasRouterOs } from './nas-router-session';
import { API_PASSWORD_UNREADABLE } from './nas-secrets';
import { loadNasConnection, type NasConnection } from './nas-target';
import { answered, panelDnsLookup } from './panel-dns-lookup';

/** Each lookup command on the router: RouterOS gives up on one server after 2 s (query-server-timeout). */
export const NSLOOKUP_COMMAND_MS = 5000;
/** The panel's own lookup, run beside the router's. */
export const NSLOOKUP_PANEL_MS = 5000;

export function nsLookupDeadlines(): SessionDeadlines {
  return { connectMs: routerDeadlines().connectMs, commandMs: NSLOOKUP_COMMAND_MS };
}

/**
 * NSLookup through a NAS, and from the panel beside it, audited on the NAS. One diagnostic per router at a time
 * (the same lock as Ping / Traceroute). `panelServers` points the panel's side at other resolvers (tests).
 */
export async function runNsLookup(actor: Actor, input: NsLookupInput, opts: { panelServers?: string[] } = {}): Promise<NsLookupResult> {
  const nas = await loadNasConnection(actor, input.id);
  const lookBoth = () =>
    Promise.all([routerLookup(nas, input.name), panelDnsLookup(input.name, { deadlineMs: NSLOOKUP_PANEL_MS, servers: opts.panelServers })]);
  let router: NsLookupAnswer;
  let panel: NsLookupAnswer;
  if (nas.api) {
    const ran = await withTryAdvisoryLock(sqlClient(), [ADVISORY_LOCK_CLASSES.diagnostic, nas.id], lookBoth);
    if (!ran.locked) throw new ConflictError(`a diagnostic is already running through ${nas.name}: wait for it to finish`);
    [router, panel] = ran.value;
  } else {
    [router, panel] = await lookBoth();
  }
  await writeAudit(db(), actor, {
    action: 'nas.nslookup',
    entityType: 'nas',
    entityId: nas.id,
    summary: `NSLookup ${input.name} through ${nas.name}: router ${router.status}${router.method ? ` (${router.method})` : ''}, panel ${panel.status}`,
    changes: { name: input.name, router: router.status, panel: panel.status },
  });
  return { name: input.name, router, panel };
}

const none = (status: NsLookupAnswer['status'], method: string, message: string, ms: number): NsLookupAnswer => ({
  status,
  method,
  records: [],
  message,
  ms,
});

const isNxdomain = (m: string | null) => !!m && /does not exist|nxdomain|name error/i.test(m);
const isUnknownCommand = (m: string | null) => !!m && /no such command/i.test(m);
const trapOf = (e: unknown) => (e instanceof RouterOsError && e.kind === 'trap' ? e : null);

async function routerLookup(nas: NasConnection, name: string): Promise<NsLookupAnswer> {
  const started = Date.now();
  if (nas.unreadable.apiPassword) return none('unavailable', '', API_PASSWORD_UNREADABLE, 0);
  if (!nas.api) return none('unavailable', '', `${nas.name} has no MikroTik API credentials: only the panel's lookup runs`, 0);
  try {
    return await withNasRouterOs({ id: nas.id, api: { ...nas.api, deadlines: nsLookupDeadlines() } }, (s) => askRouter(s, name, started));
  } catch (e) {
    if (e instanceof RouterOsError) return none('error', '', `through ${nas.name}: ${e.message}`, Date.now() - started);
    throw e;
  }
}

/**
 * RouterOS 7's `/tool/dns-lookup` lists every record; where the router does not know it, `:resolve` (a scripting
 * command, so through `/execute … as-string`, which returns a script's output: RouterOS 7) gives one address.
 * A router that has neither (RouterOS 6) is said to be unable, with its version, rather than guessed at.
 */
async function askRouter(s: RouterOsSession, name: string, started: number): Promise<NsLookupAnswer> {
  const ms = () => Date.now() - started;
  try {
    const rows = await s.run('/tool/dns-lookup', [`=name=${name}`]);
    const records = rows
      .map((r) => ({ type: r.type || 'A', data: r.data ?? r.address ?? '', ttl: r.ttl ?? '' }))
      .filter((r) => r.data !== '');
    return records.length ? answered(records, ms(), '/tool/dns-lookup') : none('answer', '/tool/dns-lookup', 'no records', ms());
  } catch (e) {
    const trap = trapOf(e);
    if (!trap) throw e;
    if (isNxdomain(trap.routerMessage)) return none('nxdomain', '/tool/dns-lookup', 'the name does not exist (NXDOMAIN)', ms());
    if (!isUnknownCommand(trap.routerMessage)) return none('error', '/tool/dns-lookup', `the router answered: ${trap.routerMessage}`, ms());
  }
  try {
    // Safe to place in a script: the name passed ZNsLookupInput (letters, digits, hyphens and dots only).
    const rows = await s.run('/execute', [`=script=:put [:resolve "${name}"]`, '=as-string=']);
    const address = rows.find((r) => 'ret' in r)?.ret?.trim() ?? '';
    if (address === '') return none('answer', ':resolve', 'no address', ms());
    return answered([{ type: address.includes(':') ? 'AAAA' : 'A', data: address, ttl: '' }], ms(), ':resolve');
  } catch (e) {
    const trap = trapOf(e);
    if (!trap) throw e;
    if (isNxdomain(trap.routerMessage)) return none('nxdomain', ':resolve', 'the name does not exist (NXDOMAIN)', ms());
    const version = await s
      .run('/system/resource/print', ['=.proplist=version'])
      .then((r) => r[0]?.version ?? '')
      .catch(() => '');
    return none(
      'unsupported',
      '',
      `RouterOS ${version || '(version unknown)'} cannot look a name up over its API: it has no /tool/dns-lookup, and ` +
        `:resolve needs /execute with as-string (RouterOS 7), which it refused (${trap.routerMessage}). Only the panel's lookup is shown.`,
      ms(),
    );
  }
}
