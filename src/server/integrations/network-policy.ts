// Where the panel may open connections to routers (RouterOS API, RADIUS probe, CoA). A NAS address is
// typed by an admin or reseller, so without a rule the panel could be pointed at the cloud metadata
// service (169.254.169.254) or anything else it can reach. ROUTER_NETWORKS narrows it to the operator's
// router networks; unset, everything but link-local is allowed, and never an address no router can have.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { env } from '@/env';

export interface RouterNetwork {
  family: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
  /** As the operator wrote it, normalised to `address/prefix`. */
  text: string;
}

export type RefusalReason = 'link-local' | 'unspecified' | 'multicast' | 'broadcast' | 'outside-router-networks';

export class RouterAddressRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'RouterAddressRefusedError';
  }
}

export class RouterNetworksSyntaxError extends Error {}

interface Address {
  family: 4 | 6;
  bytes: Uint8Array;
}

const cidr = (text: string): RouterNetwork => {
  const network = parseNetwork(text);
  if (!network) throw new Error(`bad built-in network ${text}`);
  return network;
};

/** Never a router: connecting there reaches this host, a group, or every host on the segment. */
const NEVER: { network: RouterNetwork; reason: RefusalReason; what: string }[] = [
  { network: cidr('0.0.0.0/8'), reason: 'unspecified', what: "the unspecified address ('this network', 0.0.0.0/8)" },
  { network: cidr('::/128'), reason: 'unspecified', what: 'the unspecified address' },
  { network: cidr('224.0.0.0/4'), reason: 'multicast', what: 'a multicast address' },
  { network: cidr('ff00::/8'), reason: 'multicast', what: 'a multicast address' },
  { network: cidr('255.255.255.255/32'), reason: 'broadcast', what: 'the broadcast address' },
];

/** Link-local holds cloud metadata services and next-hop neighbours, not routers a panel manages. */
const LINK_LOCAL = [cidr('169.254.0.0/16'), cidr('fe80::/10')];

/**
 * `ROUTER_NETWORKS`: comma-separated IPv4/IPv6 CIDRs (a bare address is a /32 or /128). Blank = null,
 * the default policy. Throws RouterNetworksSyntaxError naming the first bad entry.
 */
export function parseRouterNetworks(text: string | undefined): RouterNetwork[] | null {
  const entries = (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  return entries.map((entry) => {
    const network = parseNetwork(entry);
    if (!network) {
      throw new RouterNetworksSyntaxError(
        `"${entry}" is not an IPv4 or IPv6 network (write e.g. 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32, comma-separated)`,
      );
    }
    const masked = mask(network.bytes, network.prefix);
    if (!masked.every((b, i) => b === network.bytes[i])) {
      const fixed = `${formatAddress({ family: network.family, bytes: masked })}/${network.prefix}`;
      throw new RouterNetworksSyntaxError(`"${entry}" has bits set after the prefix: did you mean ${fixed}?`);
    }
    return network;
  });
}

/** The networks configured in the environment (null = unset), parsed once per value. */
export function configuredRouterNetworks(): RouterNetwork[] | null {
  const text = env().ROUTER_NETWORKS;
  if (!cached || cached.text !== text) cached = { text, networks: parseRouterNetworks(text) };
  return cached.networks;
}
let cached: { text: string | undefined; networks: RouterNetwork[] | null } | null = null;

/**
 * Throws RouterAddressRefusedError unless the panel may connect to `address` (an IP literal).
 * `host` is what the operator typed, for the message.
 */
export function assertRouterAddressAllowed(
  address: string,
  networks: RouterNetwork[] | null = configuredRouterNetworks(),
  host: string = address,
): void {
  const parsed = parseAddress(address);
  if (!parsed) throw new RouterAddressRefusedError(host, address, 'unspecified', `${address} is not an IP address`);
  const subject = host === address ? address : `${host} resolves to ${address}, which`;
  const refuse = (reason: RefusalReason, message: string) => {
    throw new RouterAddressRefusedError(host, address, reason, `${subject} ${message}`);
  };

  for (const never of NEVER) {
    if (contains(never.network, parsed)) refuse(never.reason, `is ${never.what}: no router can be reached there`);
  }
  const linkLocal = LINK_LOCAL.find((n) => contains(n, parsed));
  if (networks === null) {
    if (linkLocal) refuse('link-local', 'is link-local: the panel does not connect there (set ROUTER_NETWORKS to allow it)');
    return;
  }
  const listed = networks.filter((n) => contains(n, parsed));
  if (linkLocal) {
    // A wide entry such as 0.0.0.0/0 is not a decision to reach link-local: it has to be listed itself.
    const explicit = (n: RouterNetwork) => n.prefix >= linkLocal.prefix && contains(linkLocal, n);
    if (listed.some(explicit)) return;
    // Some link-local listed, just not this address: plainly outside the list.
    if (listed.length === 0 && networks.some(explicit)) refuse('outside-router-networks', outsideMessage(networks));
    refuse(
      'link-local',
      `is link-local: the panel does not connect there (list ${linkLocal.text} or a part of it in ROUTER_NETWORKS to allow it)`,
    );
  }
  if (listed.length === 0) refuse('outside-router-networks', outsideMessage(networks));
}

function outsideMessage(networks: RouterNetwork[]): string {
  const shown = networks.slice(0, 6).map((n) => n.text);
  if (networks.length > shown.length) shown.push('…');
  return `is outside ROUTER_NETWORKS (${shown.join(', ')}): the panel does not connect there`;
}

/**
 * The IP literal to connect to for `host`: the host itself when it is an address, otherwise what DNS
 * answers, where every address must be allowed (a name cannot smuggle in a refused one). Connecting to
 * the returned literal means a second DNS answer cannot differ from the one checked.
 * IPv4-mapped IPv6 comes back as plain IPv4. DNS failures throw the resolver's own error (ENOTFOUND…).
 */
export async function resolveRouterAddress(
  host: string,
  networks: RouterNetwork[] | null = configuredRouterNetworks(),
): Promise<string> {
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(literal)) {
    const address = unmap(literal);
    assertRouterAddressAllowed(address, networks, host);
    return address;
  }
  const answers = await lookup(literal, { all: true, verbatim: true });
  if (answers.length === 0) {
    throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND', hostname: host });
  }
  const addresses = answers.map((a) => unmap(a.address));
  for (const address of addresses) assertRouterAddressAllowed(address, networks, host);
  return addresses[0];
}

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything else unchanged. */
function unmap(address: string): string {
  const parsed = parseAddress(address);
  return parsed && parsed.family === 4 && isIP(address.split('%')[0]) === 6 ? formatAddress(parsed) : address;
}

function parseNetwork(text: string): RouterNetwork | null {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  if (!address) return null;
  const max = isIP(addressText.split('%')[0]) === 6 ? 128 : 32;
  let prefix = max;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
    prefix = Number(prefixText);
  }
  // An IPv4-mapped network (::ffff:10.0.0.0/104) is the IPv4 network it maps.
  if (address.family === 4 && max === 128) {
    if (prefix < 96) return null;
    prefix -= 96;
  }
  return { ...address, prefix, text: `${formatAddress(address)}/${prefix}` };
}

/** Bytes of an IPv4 or IPv6 literal; IPv4-mapped IPv6 is returned as IPv4. A zone (`%eth0`) is ignored. */
function parseAddress(text: string): Address | null {
  const bare = text.split('%')[0];
  const kind = isIP(bare);
  if (kind === 4) return { family: 4, bytes: Uint8Array.from(bare.split('.').map(Number)) };
  if (kind !== 6) return null;
  const bytes = ipv6Bytes(bare);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes };
}

function ipv6Bytes(text: string): Uint8Array {
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    tail.push(...body.slice(lastColon + 1).split('.').map(Number));
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = body.includes('::') ? body.split('::') : [body, null];
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const left = groups(head);
  const right = rest === null ? [] : groups(rest);
  const all = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

function formatAddress({ family, bytes }: Address): string {
  if (family === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] << 8) | bytes[i * 2 + 1]).toString(16));
  // Compress the longest run of zero groups (RFC 5952), as `ip` and RouterOS print addresses.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

function mask(bytes: Uint8Array, prefix: number): Uint8Array {
  return bytes.map((b, i) => {
    const bits = Math.min(8, Math.max(0, prefix - i * 8));
    return bits === 8 ? b : b & ((0xff << (8 - bits)) & 0xff);
  });
}

function contains(network: { family: 4 | 6; bytes: Uint8Array; prefix: number }, address: Address): boolean {
  if (network.family !== address.family) return false;
  const a = mask(address.bytes, network.prefix);
  const n = mask(network.bytes, network.prefix);
  return a.every((b, i) => b === n[i]);
}
