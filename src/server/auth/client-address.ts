import { canonicalIp } from '@/lib/ip-address';
import { env } from '@/env';

export interface AddressedRequest {
  socket?: { remoteAddress?: string } | null;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The address a request came from: the connection's peer, or, when `TRUST_PROXY` says that many reverse
 * proxies stand in front, the entry the outermost of them appended to X-Forwarded-For. Everything left
 * of it was written by the client and is never believed. '' when nothing usable is known.
 */
export function clientAddress(req: AddressedRequest, trustedProxies = env().TRUST_PROXY): string {
  const peer = hostAddress(req.socket?.remoteAddress ?? '') ?? '';
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (!hops.length) return peer;
  // Each proxy appends the address it was connected from, so the client's is the n-th from the right.
  return hostAddress(hops[Math.max(0, hops.length - trustedProxies)]) ?? peer;
}

/** An address as proxies write it ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443"), canonical, or null. */
function hostAddress(raw: string): string | null {
  const s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(s);
  return canonicalIp(bracketed?.[1] ?? v4WithPort?.[1] ?? s);
}

/**
 * The throttle's key for an address: an IPv4 address as it is, an IPv6 one by its /64, the block a single
 * subscriber line usually gets (counting each of its 2^64 addresses apart would throttle nothing).
 */
export function addressThrottleKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head, tail = null] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).join(':')}::/64`;
}
