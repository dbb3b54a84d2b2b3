import { z } from 'zod';
import type { RouterDiagnosticInput } from '@/lib/schemas/diagnostics';
import type { Actor } from '@/server/auth/actor';
import { ConflictError, RouterUnreachableError } from '@/server/errors';
import { RouterOsError, withRouterOs } from '@/server/integrations/routeros';
import { API_PASSWORD_UNREADABLE } from './nas-secrets';
import { loadNasConnection } from './nas-target';

export const ZDiagnosticRow = z.object({
  seq: z.number(),
  host: z.string(),
  time: z.string(),
  status: z.string(),
  loss: z.string(),
});

export const ZDiagnosticResult = z.object({
  tool: z.enum(['ping', 'traceroute']),
  rows: z.array(ZDiagnosticRow),
  summary: z.string(),
  ms: z.number(),
});

export type DiagnosticResult = z.infer<typeof ZDiagnosticResult>;

// RouterOS sends one probe a second; give the whole run that long plus a margin to connect.
const deadlineFor = (count: number) => count * 1000 + 3000;

/**
 * Ping or traceroute from the router itself, so the operator sees the path its subscribers take.
 * `count` bounds the stream (without it RouterOS runs until cancelled).
 */
export async function runRouterDiagnostic(actor: Actor, input: RouterDiagnosticInput): Promise<DiagnosticResult> {
  const nas = await loadNasConnection(actor, input.id);
  if (nas.unreadable.apiPassword) throw new ConflictError(`NAS ${nas.name}: ${API_PASSWORD_UNREADABLE}`);
  if (!nas.api) throw new RouterUnreachableError(`NAS ${nas.name} has no MikroTik API credentials: ${input.tool} runs on the router through its API`);
  const started = Date.now();
  const command = input.tool === 'ping' ? '/ping' : '/tool/traceroute';
  const count = input.tool === 'ping' ? input.count : 1;
  let raw: Record<string, string>[];
  try {
    raw = await withRouterOs({ ...nas.api, commandTimeoutMs: deadlineFor(input.count) }, (s) =>
      s.run(command, [`=address=${input.address}`, `=count=${count}`], { timeoutMs: deadlineFor(input.count) }),
    );
  } catch (e) {
    if (e instanceof RouterOsError) throw new RouterUnreachableError(`${input.tool} through ${nas.name} failed: ${e.message}`);
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
    rows: rows.map((r, i) => ({ seq: Number(r.seq ?? i), host: r.host ?? '', time: r.time ?? '', status: r.status ?? 'reply', loss: r['packet-loss'] ?? '' })),
    summary,
    ms,
  };
}

function tracerouteResult(rows: Record<string, string>[], ms: number): DiagnosticResult {
  const hops = rows.map((r, i) => ({ seq: i + 1, host: r.address ?? '', time: r.last ?? '', status: r.status || (r.address ? 'reply' : 'timeout'), loss: r.loss ?? '' }));
  const reached = hops.at(-1);
  return { tool: 'traceroute', rows: hops, summary: `${hops.length} hops${reached?.host ? `, last ${reached.host}` : ''}`, ms };
}
