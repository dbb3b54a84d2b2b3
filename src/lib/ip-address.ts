/**
 * Address validation shared by the browser form and the server. IPv6 is written in RFC 5952 canonical form,
 * so what the user sees is what PostgreSQL's inet compares.
 */
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

/** Canonical IPv6 text, or null when `s` is not an IPv6 address. */
export function canonicalIpv6(s: string): string | null {
  let text = s.toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(text) || !text.includes(':')) return null;
  const groups: number[] = [];
  // An embedded dotted-quad tail (::ffff:10.0.0.1) is two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return null;
    const o = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  for (const g of [...head, ...rest]) if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  groups.push(...head.map((g) => parseInt(g, 16)), ...Array(missing).fill(0), ...rest.map((g) => parseInt(g, 16)));
  // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * The canonical form of an IPv4 or IPv6 host address, or null. An IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * is that IPv4 address: a router's packets come from one address however it is spelled.
 */
export function canonicalIp(s: string): string | null {
  const t = s.trim();
  if (isIpv4(t)) return t;
  const v6 = canonicalIpv6(t);
  const mapped = v6 && /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!mapped) return v6;
  const [hi, lo] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function isHostname(s: string): boolean {
  return HOSTNAME.test(s);
}
