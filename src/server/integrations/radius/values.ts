// Attribute value formats (RFC 2865 §5, RFC 3162, RFC 6929 §2.1): bytes ↔ JavaScript values, both ways.
import { isIPv4, isIPv6 } from 'node:net';

export function readIpv4(buf: Buffer, start: number, end: number): string | undefined {
  if (end - start !== 4) return undefined;
  return `${buf[start]}.${buf[start + 1]}.${buf[start + 2]}.${buf[start + 3]}`;
}

export function readUint32(buf: Buffer, start: number, end: number): number | undefined {
  return end - start === 4 ? buf.readUInt32BE(start) : undefined;
}

export function readIpv6(buf: Buffer, start: number, end: number): string | undefined {
  return end - start === 16 ? formatIpv6(buf.subarray(start, end)) : undefined;
}

/** RFC 3162 §2.3: reserved octet, prefix length, then as many prefix octets as needed (up to 16). */
export function readIpv6Prefix(buf: Buffer, start: number, end: number): string | undefined {
  const length = end - start;
  if (length < 2 || length > 18) return undefined;
  const bits = buf[start + 1];
  if (bits > 128 || (length - 2) * 8 < bits) return undefined;
  const address = Buffer.alloc(16);
  buf.copy(address, 0, start + 2, end);
  return `${formatIpv6(address)}/${bits}`;
}

/** RFC 5952 text form: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
export function formatIpv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function encodeIpv4(value: string): Buffer | null {
  if (!isIPv4(value)) return null;
  return Buffer.from(value.split('.').map(Number));
}

export function encodeIpv6(value: string): Buffer | null {
  if (!isIPv6(value) || value.includes('%')) return null;
  let text = value;
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = encodeIpv4(v4[1]);
    if (!b) return null;
    text = `${text.slice(0, -v4[1].length)}${b.readUInt16BE(0).toString(16)}:${b.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  if (groups.length !== 8) return null;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** "2001:db8:1::/48" → reserved 0, length 48, the 16 address octets (bits past the length must be zero). */
export function encodeIpv6Prefix(value: string): Buffer | null {
  const slash = value.lastIndexOf('/');
  if (slash === -1) return null;
  const bitsText = value.slice(slash + 1);
  const bits = Number(bitsText);
  const address = encodeIpv6(value.slice(0, slash));
  if (!address || !/^\d{1,3}$/.test(bitsText) || bits > 128) return null;
  for (let bit = bits; bit < 128; bit++) if (address[bit >> 3] & (0x80 >> (bit & 7))) return null;
  return Buffer.concat([Buffer.from([0, bits]), address]);
}
