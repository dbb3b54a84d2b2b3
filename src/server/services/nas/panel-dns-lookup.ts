import { Resolver } from 'node:dns/promises';
import type { NsLookupAnswer } from '@/server/api/outputs/nslookup';

/** At most this many records per side: a name with hundreds of addresses is summed up, not shipped. */
export const NSLOOKUP_MAX_RECORDS = 32;

/**
 * The panel's own lookup of `name` (A and AAAA through c-ares, the system's resolvers unless `servers` says
 * otherwise), to put beside the router's: a difference points at the router's DNS settings, not the name.
 * c-ares has its own per-try timeout; `deadlineMs` bounds the whole and cancels what is still in flight.
 */
export async function panelDnsLookup(name: string, opts: { deadlineMs: number; servers?: string[] }): Promise<NsLookupAnswer> {
  const started = Date.now();
  const resolver = new Resolver({ timeout: Math.max(200, Math.floor(opts.deadlineMs / 2)), tries: 2 });
  if (opts.servers) resolver.setServers(opts.servers);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), opts.deadlineMs)));
  const ask = (fn: () => Promise<{ address: string; ttl: number }[]>, type: string) =>
    fn().then(
      (rows) => ({ ok: true as const, records: rows.map((r) => ({ type, data: r.address, ttl: `${r.ttl}s` })) }),
      (e: NodeJS.ErrnoException) => ({ ok: false as const, code: e.code ?? 'EUNKNOWN' }),
    );
  try {
    const both = Promise.all([
      ask(() => resolver.resolve4(name, { ttl: true }), 'A'),
      ask(() => resolver.resolve6(name, { ttl: true }), 'AAAA'),
    ]);
    const r = await Promise.race([both, deadline]);
    const ms = Date.now() - started;
    if (r === 'deadline') {
      return {
        status: 'error',
        method: 'node:dns',
        records: [],
        message: `no answer from the panel's resolvers within ${opts.deadlineMs / 1000} s`,
        ms,
      };
    }
    const records = r.flatMap((x) => (x.ok ? x.records : []));
    if (records.length) return answered(records, ms);
    const codes = r.map((x) => (x.ok ? 'ENODATA' : x.code));
    if (codes.includes('ENOTFOUND'))
      return { status: 'nxdomain', method: 'node:dns', records: [], message: 'the name does not exist (NXDOMAIN)', ms };
    if (codes.every((c) => c === 'ENODATA'))
      return { status: 'answer', method: 'node:dns', records: [], message: 'the name exists but has no A or AAAA record', ms };
    return {
      status: 'error',
      method: 'node:dns',
      records: [],
      message: `the panel's resolvers failed: ${codes.find((c) => c !== 'ENODATA')}`,
      ms,
    };
  } finally {
    clearTimeout(timer);
    resolver.cancel();
  }
}

export function answered(records: NsLookupAnswer['records'], ms: number, method = 'node:dns'): NsLookupAnswer {
  const kept = records.slice(0, NSLOOKUP_MAX_RECORDS);
  const more = records.length - kept.length;
  return { status: 'answer', method, records: kept, message: more > 0 ? `${more} more records not shown` : '', ms };
}
