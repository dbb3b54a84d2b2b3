import type { DiagnosticResult } from '@/server/api/outputs/nas';
import type { RouterDiagnosticInput } from '@/lib/schemas/diagnostics';
import type { Actor } from '@/server/auth/actor';
import { ConflictError, RouterUnreachableError } from '@/server/errors';
import { ADVISORY_LOCK_CLASSES, withTryAdvisoryLock } from '@/server/db/advisory-locks';
import { db, sqlClient } from '@/server/db/client';
import { routerDeadlines, RouterOsError, type RouterOsTarget, type SessionDeadlines } from '@/server/integrations/routeros';
import { writeAudit } from '@/server/services/audit/write-audit';
import { withNasRouterOs } from './nas-router-session';
import { API_PASSWORD_UNREADABLE } from './nas-secrets';
import { loadNasConnection } from './nas-target';

/** The tool's diagnostic profile (integrations/routeros/deadlines.ts says why each value). */
function toolDeadlines(input: Pick<RouterDiagnosticInput, 'tool' | 'count'>): SessionDeadlines {
  const { diagnostic } = routerDeadlines();
  return input.tool === 'ping' ? diagnostic.ping(input.count) : diagnostic.traceroute;
}

/** How long the tool may run on the router, decided by the panel and not by what the client asks. */
export function toolDeadlineMs(input: Pick<RouterDiagnosticInput, 'tool' | 'count'>): number {
  return toolDeadlines(input).commandMs;
}

/**
 * Ping or traceroute from the router itself, so the operator sees the path its subscribers take.
 * `count` bounds the ping stream (without it RouterOS runs until cancelled). One diagnostic per router at a
 * time, across every panel instance: a router is not a load generator.
 */
export async function runRouterDiagnostic(actor: Actor, input: RouterDiagnosticInput): Promise<DiagnosticResult> {
  const nas = await loadNasConnection(actor, input.id);
  if (nas.unreadable.apiPassword) throw new ConflictError(`NAS ${nas.name}: ${API_PASSWORD_UNREADABLE}`);
  if (!nas.api)
    throw new RouterUnreachableError(`NAS ${nas.name} has no MikroTik API credentials: ${input.tool} runs on the router through its API`);
  const api = nas.api;
  const ran = await withTryAdvisoryLock(sqlClient(), [ADVISORY_LOCK_CLASSES.diagnostic, nas.id], async () => {
    // Audited whether it answered or not: traffic sent from a subscriber-facing router is worth a record.
    const audit = (outcome: string) =>
      writeAudit(db(), actor, {
        action: `nas.${input.tool}`,
        entityType: 'nas',
        entityId: nas.id,
        summary: `${input.tool === 'ping' ? 'Ping' : 'Traceroute'} ${input.address} through ${nas.name}: ${outcome}`,
        changes: { address: input.address, ...(input.tool === 'ping' ? { count: input.count } : {}), outcome },
      });
    try {
      const result = await runTool({ id: nas.id, api }, nas.name, input);
      await audit(result.summary);
      return result;
    } catch (e) {
      if (e instanceof RouterUnreachableError) await audit(e.message);
      throw e;
    }
  });
  if (!ran.locked) throw new ConflictError(`a diagnostic is already running through ${nas.name}: wait for it to finish`);
  return ran.value;
}

async function runTool(nas: { id: number; api: RouterOsTarget }, nasName: string, input: RouterDiagnosticInput): Promise<DiagnosticResult> {
  const started = Date.now();
  const command = input.tool === 'ping' ? '/ping' : '/tool/traceroute';
  const count = input.tool === 'ping' ? input.count : 1;
  const deadlines = toolDeadlines(input);
  let raw: Record<string, string>[];
  try {
    raw = await withNasRouterOs({ id: nas.id, api: { ...nas.api, deadlines } }, (s) =>
      s.run(command, [`=address=${input.address}`, `=count=${count}`]),
    );
  } catch (e) {
    if (e instanceof RouterOsError) throw new RouterUnreachableError(`${input.tool} through ${nasName} failed: ${e.message}`);
    throw e;
  }
  const rows = raw.filter((r) => !('ret' in r));
  return input.tool === 'ping' ? pingResult(rows, Date.now() - started) : tracerouteResult(rows, Date.now() - started);
}

function pingResult(rows: Record<string, string>[], ms: number): DiagnosticResult {
  const last = rows.at(-1);
  const summary = last
    ? `${last.sent ?? rows.length} sent, ${last.received ?? '0'} received, ${last['packet-loss'] ?? '?'}% loss` +
      (last['avg-rtt'] ? `; rtt min/avg/max ${last['min-rtt']}/${last['avg-rtt']}/${last['max-rtt']}` : '')
    : 'no reply rows';
  return {
    tool: 'ping',
    rows: rows.map((r, i) => ({
      seq: Number(r.seq ?? i),
      host: r.host ?? '',
      time: r.time ?? '',
      status: r.status ?? 'reply',
      loss: r['packet-loss'] ?? '',
    })),
    summary,
    ms,
  };
}

function tracerouteResult(rows: Record<string, string>[], ms: number): DiagnosticResult {
  const hops = rows.map((r, i) => ({
    seq: i + 1,
    host: r.address ?? '',
    time: r.last ?? '',
    status: r.status || (r.address ? 'reply' : 'timeout'),
    loss: r.loss ?? '',
  }));
  const reached = hops.at(-1);
  return { tool: 'traceroute', rows: hops, summary: `${hops.length} hops${reached?.host ? `, last ${reached.host}` : ''}`, ms };
}
