// Where the panel may open connections to routers (RouterOS API, RADIUS probe, CoA). A NAS address is
// typed by an admin or reseller, so without a rule the panel could be pointed at the cloud metadata
// service (169.254.169.254) or anything else it can reach. ROUTER_NETWORKS narrows it to the operator's
// router networks; unset, everything but link-local is allowed, and never an address no router can have.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { env } from '@/env';
import { contains, formatAddress, parseAddress, parseNetwork, parseRouterNetworks, type RouterNetwork } from '@/lib/cidr';

export { parseRouterNetworks, RouterNetworksSyntaxError, type RouterNetwork } from '@/lib/cidr';

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
export async function resolveRouterAddress(host: string, networks: RouterNetwork[] | null = configuredRouterNetworks()): Promise<string> {
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
