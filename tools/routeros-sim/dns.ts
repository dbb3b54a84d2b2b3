// Name lookups for the simulator: RouterOS's `/tool/dns-lookup` and `:resolve` (through `/execute … as-string`),
// answered from a small static table; any other name is NXDOMAIN. `startDnsResponder` serves the same table over
// real DNS (UDP), so a test can compare the router's answer with a panel-side lookup of the very same names.
import dgram from 'node:dgram';
import type { CommandOutcome, SimRequest } from './commands';
import type { RouterState } from './state';

export interface SimDnsRecord {
  type: 'A' | 'AAAA' | 'CNAME';
  data: string;
  ttl: number;
}

/** Documentation names and addresses only (RFC 2606 / 5737 / 3849): nothing here points at a real host. */
export const SIM_DNS_TABLE: Record<string, SimDnsRecord[]> = {
  'radius.example.net': [{ type: 'A', data: '198.51.100.53', ttl: 3600 }],
  'portal.example.net': [
    { type: 'A', data: '203.0.113.80', ttl: 300 },
    { type: 'A', data: '203.0.113.81', ttl: 300 },
    { type: 'AAAA', data: '2001:db8::80', ttl: 300 },
  ],
  'www.example.net': [
    { type: 'CNAME', data: 'portal.example.net', ttl: 600 },
    { type: 'A', data: '203.0.113.80', ttl: 300 },
  ],
};

/** The name whose lookup the simulated router's DNS never answers in time. */
export const STALLING_NAME = 'stall.example.net';

export function simLookup(name: string): SimDnsRecord[] | null {
  return SIM_DNS_TABLE[name.toLowerCase().replace(/\.$/, '')] ?? null;
}

/**
 * Which releases have `/tool/dns-lookup`. *Unverified*: RouterOS 7 documents the tool, but the release that added it
 * was not confirmed from a real router; the simulator gives it to 7.16 and later so the demo fleet shows every path
 * (7.18: the tool, 7.14: `:resolve`, 6.42: neither). The panel never relies on this number: it asks and falls back.
 */
export function hasDnsLookupTool(state: RouterState): boolean {
  const m = /^(\d+)\.(\d+)/.exec(state.version);
  return !!m && (Number(m[1]) > 7 || (Number(m[1]) === 7 && Number(m[2]) >= 16));
}

const trap = (message: string, category?: number): CommandOutcome => ({ kind: 'traps', traps: [{ message, category }] });

/** `/tool/dns-lookup =name=…`: one row per record, as `print` would list them. */
export function dnsLookupCommand(req: SimRequest, state: RouterState): CommandOutcome {
  if (!hasDnsLookupTool(state)) {
    return {
      kind: 'traps',
      traps: [{ message: 'no such command or directory (dns-lookup)', category: 0 }, { message: 'no such command prefix' }],
    };
  }
  const name = req.attrs.get('name');
  if (!name) return trap('missing value of name', 1);
  // A router whose DNS servers do not answer: RouterOS waits out its query-total-timeout (10 s by default).
  if (name === STALLING_NAME)
    return { kind: 'stream', steps: [{ delayMs: 10_000, row: { name, type: 'A', data: '192.0.2.1', ttl: '1s' } }][Symbol.iterator]() };
  const records = simLookup(name);
  if (!records) return trap('failure: dns name does not exist', 4);
  return { kind: 'rows', listing: true, rows: records.map((r) => ({ name, type: r.type, data: r.data, ttl: `${r.ttl}s` })) };
}

const RESOLVE_SCRIPT = /^:put \[:resolve "([^"]+)"\]$/;

/** `/execute =script=:put [:resolve "name"] =as-string=` (RouterOS 7): the script's output in `ret`. */
export function executeCommand(req: SimRequest, state: RouterState): CommandOutcome {
  const script = req.attrs.get('script');
  if (!script) return trap('missing value of script', 1);
  // *Unverified*: the exact text RouterOS 6 answers for a parameter it does not know.
  if (req.attrs.has('as-string') && state.majorVersion < 7) return trap('unknown parameter as-string', 1);
  const m = RESOLVE_SCRIPT.exec(script);
  if (!m || !req.attrs.has('as-string')) return trap('the simulator only runs :put [:resolve "name"] with as-string', 3);
  const first = simLookup(m[1])?.find((r) => r.type === 'A' || r.type === 'AAAA');
  if (!first) return trap('failure: dns name does not exist', 3);
  return { kind: 'rows', rows: [], done: { ret: first.data }, listing: false };
}

export interface SimDnsResponder {
  host: string;
  port: number;
  stop(): Promise<void>;
}

const TYPE_CODES: Record<number, 'A' | 'AAAA'> = { 1: 'A', 28: 'AAAA' };

/** A DNS server on UDP answering A / AAAA from SIM_DNS_TABLE (NXDOMAIN otherwise); `silent` never answers. */
export async function startDnsResponder(opts: { host: string; port?: number; silent?: boolean }): Promise<SimDnsResponder> {
  const socket = dgram.createSocket(opts.host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (msg, rinfo) => {
    if (opts.silent) return;
    const reply = answer(msg);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port ?? 0, opts.host, () => resolve());
  });
  return {
    host: opts.host,
    port: socket.address().port,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function answer(query: Buffer): Buffer | null {
  if (query.length < 17) return null;
  const labels: string[] = [];
  let at = 12;
  while (at < query.length && query[at] !== 0) {
    const len = query[at];
    if (len > 63 || at + 1 + len > query.length) return null;
    labels.push(query.subarray(at + 1, at + 1 + len).toString('ascii'));
    at += 1 + len;
  }
  const questionEnd = at + 5;
  if (questionEnd > query.length) return null;
  const qtype = query.readUInt16BE(at + 1);
  const records = simLookup(labels.join('.'));
  const wanted = (records ?? []).filter((r) => r.type === TYPE_CODES[qtype]);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8180 | (records ? 0 : 3), 2); // response, recursion available; rcode 3 = NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(wanted.length, 6);
  const answers = wanted.map((r) => {
    const rdata = r.type === 'A' ? Buffer.from(r.data.split('.').map(Number)) : ipv6Bytes(r.data);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(r.type === 'A' ? 1 : 28, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(r.ttl, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

function ipv6Bytes(text: string): Buffer {
  const [head, tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(Number.parseInt(g, 16), i * 2));
  return out;
}
