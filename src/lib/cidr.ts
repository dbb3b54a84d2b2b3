import { isIP } from 'node:net';

// IPv4 and IPv6 networks as bytes: parsing, masking and matching (server side: node:net). A leaf, so `env.ts` can validate
// ROUTER_NETWORKS with it and the network policy can apply it, without either importing the other.

export interface RouterNetwork {
  family: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
  /** As the operator wrote it, normalised to `address/prefix`. */
  text: string;
}

export class RouterNetworksSyntaxError extends Error {}

export interface Address {
  family: 4 | 6;
  bytes: Uint8Array;
}

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

export function parseNetwork(text: string): RouterNetwork | null {
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
export function parseAddress(text: string): Address | null {
  const bare = text.split('%')[0];
  const kind = isIP(bare);
  if (kind === 4) return { family: 4, bytes: Uint8Array.from(bare.split('.').map(Number)) };
  if (kind !== 6) return null;
  const bytes = ipv6Bytes(bare);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes };
}

export function ipv6Bytes(text: string): Uint8Array {
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    tail.push(
      ...body
        .slice(lastColon + 1)
        .split('.')
        .map(Number),
    );
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

export function formatAddress({ family, bytes }: Address): string {
  if (family === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] << 8) | bytes[i * 2 + 1]).toString(16));
  // Compress the longest run of zero groups (RFC 5952), as `ip` and RouterOS print addresses.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
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

export function mask(bytes: Uint8Array, prefix: number): Uint8Array {
  return bytes.map((b, i) => {
    const bits = Math.min(8, Math.max(0, prefix - i * 8));
    return bits === 8 ? b : b & ((0xff << (8 - bits)) & 0xff);
  });
}

export function contains(network: { family: 4 | 6; bytes: Uint8Array; prefix: number }, address: Address): boolean {
  if (network.family !== address.family) return false;
  const a = mask(address.bytes, network.prefix);
  const n = mask(network.bytes, network.prefix);
  return a.every((b, i) => b === n[i]);
}
