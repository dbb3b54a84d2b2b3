import { dnsLookupCommand, executeCommand } from './dns';
import { formatRtt, formatUptime, parseInterval } from './format';
import { applyProplist, matchesQuery, type Row } from './query';
import { macFor, stableHash, type RouterState } from './state';
import { torchCommand } from './torch';
import { parseRateLimit } from './traffic';

export interface SimRequest {
  command: string;
  /** `=name=value` words. */
  attrs: Map<string, string>;
  /** `?...` words, in order. */
  queries: string[];
}

export interface SimTrap {
  message: string;
  category?: number;
}

export interface StreamStep {
  delayMs: number;
  row: Row;
}

export type CommandOutcome =
  | { kind: 'rows'; rows: Row[]; done?: Row; listing: boolean }
  | { kind: 'traps'; traps: SimTrap[] }
  | { kind: 'stream'; steps: Iterator<StreamStep> };

type Handler = (req: SimRequest, state: RouterState) => CommandOutcome;

function trap(message: string, category?: number): CommandOutcome {
  return { kind: 'traps', traps: [{ message, category }] };
}

/** `print` with the API's options: `=.proplist=`, `?` queries and `=count-only=`. */
function listing(rows: Row[], req: SimRequest): CommandOutcome {
  const matched = rows.filter((row) => matchesQuery(row, req.queries));
  if (req.attrs.has('count-only')) return { kind: 'rows', rows: [], done: { ret: String(matched.length) }, listing: false };
  const proplist = req.attrs.get('.proplist')?.split(',').filter(Boolean) ?? null;
  return { kind: 'rows', rows: matched.map((row) => applyProplist(row, proplist)), listing: true };
}

function noSuchItem(state: RouterState): CommandOutcome {
  return trap(state.majorVersion >= 7 ? 'no such item (4)' : 'no such item');
}

/** `remove` with `.id` (or `numbers`), one or several comma-joined: all of them exist, or nothing is removed. */
function removeItems(req: SimRequest, state: RouterState, items: readonly { id: string }[], remove: (id: string) => void): CommandOutcome {
  const ids = (req.attrs.get('.id') ?? req.attrs.get('numbers') ?? '').split(',').filter(Boolean);
  if (ids.length === 0) return trap('expected .id of the item to remove', 1);
  if (!ids.every((id) => items.some((item) => item.id === id))) return noSuchItem(state);
  for (const id of ids) remove(id);
  return { kind: 'rows', rows: [], listing: false };
}

const MENUS: Record<string, Record<string, Handler>> = {
  '/system/identity': {
    print: (req, state) => listing([{ name: state.identity }], req),
  },
  '/system/resource': {
    print: (req, state) => listing([resourceRow(state)], req),
  },
  '/ip/pool': {
    print: (req, state) =>
      listing(
        state.pools.map((p, i) => ({ '.id': `*${(i + 1).toString(16).toUpperCase()}`, name: p.name, ranges: p.ranges })),
        req,
      ),
  },
  '/ppp/active': {
    print: (req, state) => listing(state.pppActive.map(pppRow), req),
    remove: (req, state) => removeItems(req, state, state.pppActive, (id) => state.removePppActive(id)),
  },
  '/ip/hotspot/active': {
    print: (req, state) =>
      listing(
        state.hotspotActive.map((h) => ({
          '.id': h.id,
          server: 'hotspot1',
          user: h.user,
          ...(h.address !== null && { address: h.address }),
          'mac-address': h.macAddress ?? macFor(h.user),
          'login-by': 'http-chap',
          radius: 'true',
        })),
        req,
      ),
    remove: (req, state) => removeItems(req, state, state.hotspotActive, (id) => state.removeHotspotActive(id)),
  },
  '/radius': {
    print: (req, state) => listing(state.radius.map(radiusRow), req),
  },
  // The dynamic queues RouterOS adds for sessions whose Access-Accept carried Mikrotik-Rate-Limit.
  '/queue/simple': {
    print: (req, state) => listing(state.pppActive.filter((s) => s.rateLimit).map(dynamicQueueRow), req),
    // As on RouterOS, a dynamic queue's limits can be changed for the session's life: the panel's CoA fallback.
    set: (req, state) => {
      const id = req.attrs.get('.id') ?? req.attrs.get('numbers') ?? '';
      const session = state.pppActive.find((s) => s.id === id && s.rateLimit);
      if (!session) return noSuchItem(state);
      const maxLimit = req.attrs.get('max-limit');
      if (maxLimit !== undefined && !parseRateLimit(maxLimit)) return trap(`invalid value of max-limit: ${maxLimit}`, 1);
      const burst = ['burst-limit', 'burst-threshold', 'burst-time'].map((k) => req.attrs.get(k) ?? '0/0');
      const limit = maxLimit ?? (session.rateLimit ?? '').split(/\s+/)[0];
      state.updatePppActive(id, { rateLimit: burst[0] === '0/0' ? limit : `${limit} ${burst.join(' ')}` });
      return { kind: 'rows', rows: [], listing: false };
    },
  },
  '/radius/incoming': {
    print: (req, state) => listing([{ accept: String(state.radiusIncoming.accept), port: String(state.radiusIncoming.port) }], req),
  },
  '': {
    ping: (req, state) => {
      const address = req.attrs.get('address');
      if (!address) return trap('missing value of address', 1);
      return { kind: 'stream', steps: pingSteps(state, address, req) };
    },
    execute: executeCommand,
  },
  '/tool': {
    traceroute: (req, state) => {
      const address = req.attrs.get('address');
      if (!address) return trap('missing value of address', 1);
      return { kind: 'stream', steps: tracerouteSteps(state, address, req) };
    },
    'dns-lookup': dnsLookupCommand,
    torch: torchCommand,
  },
};

const KNOWN_DIRS = new Set<string>();
for (const menu of Object.keys(MENUS)) {
  const parts = menu.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) KNOWN_DIRS.add(`/${parts.slice(0, i).join('/')}`);
}

export function runCommand(req: SimRequest, state: RouterState): CommandOutcome {
  const slash = req.command.lastIndexOf('/');
  const menu = slash >= 0 ? req.command.slice(0, slash) : '';
  const verb = req.command.slice(slash + 1);
  const handler = MENUS[menu]?.[verb];
  if (handler) return handler(req, state);
  if (menu === '' ? KNOWN_DIRS.has(req.command) : KNOWN_DIRS.has(menu)) return trap('no such command');
  // RouterOS names the first path segment it does not know, then gives up on the prefix.
  const parts = req.command.split('/').filter(Boolean);
  let unknown = parts[0] ?? req.command;
  for (let i = 1; i <= parts.length; i++) {
    if (!KNOWN_DIRS.has(`/${parts.slice(0, i).join('/')}`)) {
      unknown = parts[i - 1];
      break;
    }
  }
  return {
    kind: 'traps',
    traps: [{ message: `no such command or directory (${unknown})`, category: 0 }, { message: 'no such command prefix' }],
  };
}

function resourceRow(state: RouterState): Row {
  const total = 1024 * 1024 * 1024;
  const load = (state.seed + Math.floor(Date.now() / 5000)) % 23;
  return {
    uptime: formatUptime((Date.now() - state.bootedAt) / 1000),
    version: state.version,
    'build-time': state.majorVersion >= 7 ? '2024-04-07 12:47:22' : 'Feb/08/2021 12:48:33',
    'factory-software': state.majorVersion >= 7 ? '7.1' : '6.44.6',
    'free-memory': String(total - 180_000_000 - (state.seed % 64) * 1_048_576),
    'total-memory': String(total),
    cpu: 'ARM64',
    'cpu-count': '4',
    'cpu-frequency': '1700',
    'cpu-load': String(load),
    'free-hdd-space': '98041856',
    'total-hdd-space': '134217728',
    'architecture-name': 'arm64',
    'board-name': state.boardName,
    platform: 'MikroTik',
  };
}

function pppRow(s: RouterState['pppActive'][number]): Row {
  return {
    '.id': s.id,
    name: s.name,
    service: s.service,
    'caller-id': s.callerId,
    address: s.address,
    uptime: formatUptime((Date.now() - s.startedAt) / 1000),
    encoding: '',
    'session-id': s.sessionId,
    'limit-bytes-in': '0',
    'limit-bytes-out': '0',
    radius: 'true',
  };
}

function dynamicQueueRow(s: RouterState['pppActive'][number]): Row {
  const rates = parseRateLimit(s.rateLimit ?? '');
  const iface = `<${s.service}-${s.name}>`;
  return {
    '.id': s.id,
    name: iface,
    target: iface,
    // target-upload/target-download: the subscriber's upload is what the router receives (rx).
    'max-limit': rates ? `${rates.rxBps}/${rates.txBps}` : '0/0',
    dynamic: 'true',
    disabled: 'false',
  };
}

function radiusRow(r: RouterState['radius'][number], i: number): Row {
  return {
    '.id': `*${(i + 1).toString(16).toUpperCase()}`,
    service: r.service,
    'called-id': '',
    domain: '',
    address: r.address,
    secret: r.secret,
    'authentication-port': String(r.authPort ?? 1812),
    'accounting-port': String(r.acctPort ?? 1813),
    timeout: '300ms',
    'accounting-backup': 'false',
    realm: '',
    'src-address': '0.0.0.0',
    disabled: String(r.disabled ?? false),
    comment: '',
  };
}

/** Documentation addresses (192.0.2.0/24, TEST-NET-1) never answer, so timeouts can be demonstrated. */
function isBlackHole(address: string): boolean {
  return address.startsWith('192.0.2.');
}

function baseRtt(state: RouterState, address: string): number {
  return 1 + (((stableHash(address) ^ state.seed) >>> 0) % 40_000) / 1000;
}

function* pingSteps(state: RouterState, address: string, req: SimRequest): Iterator<StreamStep> {
  const count = Number.parseInt(req.attrs.get('count') ?? '', 10);
  const intervalMs = parseInterval(req.attrs.get('interval'), 1000);
  const size = req.attrs.get('size') ?? '56';
  const base = baseRtt(state, address);
  const rtts: number[] = [];
  for (let seq = 0; !(count >= 0) || seq < count; seq++) {
    const lost = isBlackHole(address);
    const rtt = base * (0.9 + (stableHash(`${address}#${seq}`) % 300) / 1000);
    if (!lost) rtts.push(rtt);
    const sent = seq + 1;
    const row: Row = { seq: String(seq), host: address, size };
    if (lost) row.status = 'timeout';
    else Object.assign(row, { ttl: '57', time: formatRtt(rtt) });
    Object.assign(row, {
      sent: String(sent),
      received: String(rtts.length),
      'packet-loss': String(Math.round(((sent - rtts.length) / sent) * 100)),
    });
    if (rtts.length > 0) {
      Object.assign(row, {
        'min-rtt': formatRtt(Math.min(...rtts)),
        'avg-rtt': formatRtt(rtts.reduce((a, b) => a + b, 0) / rtts.length),
        'max-rtt': formatRtt(Math.max(...rtts)),
      });
    }
    // A probe is reported when its answer arrives, or after the interval when it is lost.
    yield { delayMs: seq === 0 ? Math.min(lost ? intervalMs : rtt, intervalMs) : intervalMs, row };
  }
}

function* tracerouteSteps(state: RouterState, address: string, req: SimRequest): Iterator<StreamStep> {
  const count = Number.parseInt(req.attrs.get('count') ?? '', 10);
  const intervalMs = parseInterval(req.attrs.get('interval'), 1000);
  const h = stableHash(address);
  const hops = [`100.64.${state.seed % 256}.1`, `100.127.${(state.seed >>> 8) % 256}.1`, `203.0.113.${(h % 250) + 1}`, address];
  const base = baseRtt(state, address);
  for (let round = 0; !(count >= 0) || round < count; round++) {
    for (const [i, hop] of hops.entries()) {
      const lost = isBlackHole(address) && i >= 2;
      const ms = ((base * (i + 1)) / hops.length).toFixed(1);
      const row: Row = {
        '.section': String(round),
        address: lost ? '' : hop,
        loss: lost ? '100' : '0',
        sent: String(round + 1),
        last: lost ? 'timeout' : ms,
        avg: lost ? '' : ms,
        best: lost ? '' : ms,
        worst: lost ? '' : ms,
        'std-dev': lost ? '' : '0.1',
        status: lost ? 'timeout' : '',
      };
      yield { delayMs: i > 0 ? 0 : round === 0 ? Math.min(base, intervalMs) : intervalMs, row };
    }
  }
}
