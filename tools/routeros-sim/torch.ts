// `/tool/torch`: per-flow rates of an interface, a refresh every second until `/cancel`. The rates come from
// the same traffic model as accounting (traffic.ts), split over a few made-up but stable flows per session.
import type { CommandOutcome, SimRequest, StreamStep } from './commands';
import type { Row } from './query';
import { stableHash, type RouterState } from './state';
import { SessionTraffic } from './traffic';
import type { SimPppSession } from './types';

/** What a session's traffic is made of: share of its download and upload, protocol, remote port. */
const FLOW_MIX = [
  { protocol: 'tcp', port: 443, down: 0.55, up: 0.3, net: '203.0.113' },
  { protocol: 'udp', port: 443, down: 0.25, up: 0.2, net: '198.51.100' },
  { protocol: 'tcp', port: 80, down: 0.1, up: 0.1, net: '198.51.100' },
  { protocol: 'tcp', port: 993, down: 0.09, up: 0.35, net: '203.0.113' },
  { protocol: 'udp', port: 53, down: 0.01, up: 0.05, net: '192.0.2' },
] as const;

/** Physical ports a simulated router has; ether1 is its uplink. */
const ETHERNET = new Set(['ether1', 'ether2', 'ether3', 'ether4']);

interface Flow {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  protocol: string;
  rx: number;
  tx: number;
  rxPackets: number;
  txPackets: number;
}

interface Filter {
  src: ((ip: string) => boolean) | null;
  dst: ((ip: string) => boolean) | null;
  byProtocol: boolean;
  byPort: boolean;
}

export function torchCommand(req: SimRequest, state: RouterState): CommandOutcome {
  const name = req.attrs.get('interface');
  if (!name) return { kind: 'traps', traps: [{ message: 'missing value(s) of argument(s) interface', category: 1 }] };
  const session = sessionOf(state, name);
  if (!session && !ETHERNET.has(name)) {
    return { kind: 'traps', traps: [{ message: 'input does not match any value of interface', category: 1 }] };
  }
  const src = addressFilter(req.attrs.get('src-address'));
  const dst = addressFilter(req.attrs.get('dst-address'));
  if (src === undefined || dst === undefined) {
    return { kind: 'traps', traps: [{ message: 'invalid value for argument address', category: 1 }] };
  }
  const filter: Filter = { src, dst, byProtocol: req.attrs.has('ip-protocol'), byPort: req.attrs.has('port') };
  return { kind: 'stream', steps: torchSteps(state, name, session !== null, filter) };
}

/** The PPP session whose dynamic interface is `name` (`<pppoe-alice>`), or null. */
function sessionOf(state: RouterState, name: string): SimPppSession | null {
  return state.pppActive.find((s) => `<${s.service}-${s.name}>` === name) ?? null;
}

function* torchSteps(state: RouterState, name: string, isSession: boolean, filter: Filter): Iterator<StreamStep> {
  for (let section = 0; ; section++) {
    const now = Date.now();
    let flows: Flow[];
    if (isSession) {
      const session = sessionOf(state, name);
      // The session ended: its interface is gone, and the torch with it.
      if (!session) return;
      flows = sessionFlows(session, now, false);
    } else {
      // An ethernet port carries every session; seen from the uplink, what subscribers download arrives (rx).
      flows = state.pppActive.flatMap((s) => sessionFlows(s, now, name === 'ether1'));
    }
    const rows: Row[] = breakDown(flows, filter).map((row) => ({ '.section': String(section), ...row }));
    // RouterOS prints a refresh with no traffic as one row of zeros.
    if (rows.length === 0) rows.push({ '.section': String(section), tx: '0', rx: '0', 'tx-packets': '0', 'rx-packets': '0' });
    for (const [i, row] of rows.entries()) yield { delayMs: i === 0 ? 1000 : 0, row };
  }
}

/** One second of a session's traffic, as its accounting counters would grow, spread over its flows. */
function sessionFlows(session: SimPppSession, now: number, uplink: boolean): Flow[] {
  const second = new SessionTraffic(session.name, now - 1000).read(session.rateLimit, now);
  const h = stableHash(session.name);
  return FLOW_MIX.map((mix, i) => {
    // Each flow wobbles ±30 % from second to second, stable for a given second.
    const wobble = 0.7 + (stableHash(`${session.name}#${i}#${Math.floor(now / 1000)}`) % 61) / 100;
    const down = second.outOctets * 8 * mix.down * wobble;
    const up = second.inOctets * 8 * mix.up * wobble;
    const downPackets = second.outPackets * mix.down * wobble;
    const upPackets = second.inPackets * mix.up * wobble;
    return {
      src: session.address,
      dst: `${mix.net}.${((h >>> (i * 3)) % 250) + 1}`,
      srcPort: 32768 + ((h >>> i) % 28000),
      dstPort: mix.port,
      protocol: mix.protocol,
      // On the session's own interface the router receives what the subscriber uploads.
      rx: Math.round(uplink ? down : up),
      tx: Math.round(uplink ? up : down),
      rxPackets: Math.round(uplink ? downPackets : upPackets),
      txPackets: Math.round(uplink ? upPackets : downPackets),
    };
  });
}

/** A torch filter both filters and breaks down: flows are summed over every field not asked for. */
function breakDown(flows: Flow[], filter: Filter): Row[] {
  const groups = new Map<string, Row & { rx: string; tx: string }>();
  for (const f of flows) {
    if ((filter.src && !filter.src(f.src)) || (filter.dst && !filter.dst(f.dst))) continue;
    const key: Row = {};
    if (filter.src) key['src-address'] = f.src;
    if (filter.dst) key['dst-address'] = f.dst;
    if (filter.byProtocol || filter.byPort) key['ip-protocol'] = f.protocol;
    if (filter.byPort) Object.assign(key, { 'src-port': String(f.srcPort), 'dst-port': String(f.dstPort) });
    const id = JSON.stringify(key);
    const sum = groups.get(id) ?? { ...key, 'mac-protocol': 'ip', tx: '0', rx: '0', 'tx-packets': '0', 'rx-packets': '0' };
    sum.tx = String(Number(sum.tx) + f.tx);
    sum.rx = String(Number(sum.rx) + f.rx);
    sum['tx-packets'] = String(Number(sum['tx-packets']) + f.txPackets);
    sum['rx-packets'] = String(Number(sum['rx-packets']) + f.rxPackets);
    groups.set(id, sum);
  }
  return [...groups.values()];
}

/** `0.0.0.0/0`, `10.0.0.5`, `10.0.0.0/24` → a matcher; absent → null (no breakdown); unreadable → undefined. */
function addressFilter(text: string | undefined): ((ip: string) => boolean) | null | undefined {
  if (text === undefined) return null;
  const [addr, bitsText = '32'] = text.split('/');
  const base = ipv4(addr);
  const bits = Number(bitsText);
  if (base === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ip) => {
    const n = ipv4(ip);
    return n !== null && (n & mask) >>> 0 === (base & mask) >>> 0;
  };
}

function ipv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => ((n << 8) >>> 0) + Number(p), 0) >>> 0;
}
