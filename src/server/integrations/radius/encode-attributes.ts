// [name, value] pairs → attribute TLVs, by the dictionary's type for each name, with RFC 2865's limits.
// Ours rather than the `radius` package's encoder: it writes unchecked dotted quads ("10.0.0.300" becomes
// 10.0.0.44), throws a bare RangeError past 253 octets, cannot put Message-Authenticator first, and keeps the
// secret in module state between calls.
import { radiusDictionary, VENDOR_SPECIFIC, type AttributeDefinition } from './dictionary';
import { encodeIpv4, encodeIpv6, encodeIpv6Prefix } from './values';
import { MESSAGE_AUTHENTICATOR, PROXY_STATE } from './wire';

export type AttributeInputValue = string | number | bigint | Buffer | Date;
/** `['Framed-IP-Address', '10.0.0.9']`, `['Mikrotik-Rate-Limit', '10M/20M']`, `['Service-Type', 'Framed-User']`. */
export type AttributeInput = readonly [name: string, value: AttributeInputValue];
export type AttributeInputList = ReadonlyArray<AttributeInput>;

/** An attribute the caller asked for cannot be sent as given: the message names it and says why. */
export class RadiusAttributeError extends Error {
  override name = 'RadiusAttributeError';
}

const MAX_VALUE = 253;
const MAX_VSA_VALUE = 247; // 255 - type/length (2) - Vendor-Id (4) - vendor type/length (2)
/** RFC 2865 §5.18 / RFC 3579 §3.1: these are one value split over consecutive attributes. */
const CONCATENATED = new Set(['Reply-Message', 'EAP-Message']);

export interface EncodeContext {
  /** Lets User-Password (encrypt=1) be given as cleartext; only requests have one. */
  encryptUserPassword?: (cleartext: Buffer) => Buffer;
}

/**
 * Attributes ready to be written: values checked and sized first, so the packet is allocated once and each
 * value written straight into it (no Buffer per attribute on the hot path).
 */
export class EncodedAttributes {
  constructor(
    private readonly defs: AttributeDefinition[],
    /** A string is written as UTF-8, a number as a 32-bit integer, a Buffer as is. */
    private readonly values: Array<Buffer | string | number>,
    private readonly lengths: number[],
    /** Octets on the wire, headers included. */
    readonly size: number,
  ) {}

  /** Writes every attribute at `offset`; returns the offset after the last one. */
  writeTo(packet: Buffer, offset: number): number {
    for (let i = 0; i < this.defs.length; i++) {
      const def = this.defs[i];
      const value = this.values[i];
      const length = this.lengths[i];
      if (def.vendor) {
        packet[offset] = VENDOR_SPECIFIC;
        packet[offset + 1] = length + 8;
        packet.writeUInt32BE(def.vendor, offset + 2);
        offset += 6;
      }
      packet[offset] = def.type;
      packet[offset + 1] = length + 2;
      offset += 2;
      if (typeof value === 'string') packet.write(value, offset, length, 'utf8');
      else if (typeof value === 'number') packet.writeUInt32BE(value, offset);
      else value.copy(packet, offset);
      offset += length;
    }
    return offset;
  }
}

export function encodeAttributes(list: AttributeInputList, context: EncodeContext = {}): EncodedAttributes {
  const dictionary = radiusDictionary();
  const defs: AttributeDefinition[] = [];
  const values: Array<Buffer | string | number> = [];
  const lengths: number[] = [];
  let size = 0;
  for (const [name, input] of list) {
    const def = dictionary.byName(name);
    if (!def) throw new RadiusAttributeError(`unknown RADIUS attribute "${name}"`);
    if (def.vendor === 0 && (def.type === MESSAGE_AUTHENTICATOR || def.type === PROXY_STATE)) {
      throw new RadiusAttributeError(`${name} is added by the encoder, not given as an attribute`);
    }
    if (def.vendor === 0 && def.type === VENDOR_SPECIFIC) {
      throw new RadiusAttributeError('give vendor attributes by name (e.g. Mikrotik-Rate-Limit), not as Vendor-Specific');
    }
    const value = encodeValue(def, input, context);
    const length = typeof value === 'number' ? 4 : typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
    const max = def.vendor ? MAX_VSA_VALUE : MAX_VALUE;
    const header = def.vendor ? 8 : 2;
    if (length === 0) throw new RadiusAttributeError(`${name} is empty; RADIUS sends no empty attribute (RFC 2865 §5)`);
    if (length <= max) {
      defs.push(def);
      values.push(value);
      lengths.push(length);
      size += header + length;
    } else if (CONCATENATED.has(name)) {
      const octets = typeof value === 'string' ? Buffer.from(value, 'utf8') : (value as Buffer);
      for (let at = 0; at < octets.length; at += max) {
        const chunk = octets.subarray(at, at + max);
        defs.push(def);
        values.push(chunk);
        lengths.push(chunk.length);
        size += header + chunk.length;
      }
    } else {
      throw new RadiusAttributeError(
        `${name} is ${length} octets; one RADIUS attribute carries at most ${max}${def.vendor ? ' inside Vendor-Specific' : ''}`,
      );
    }
  }
  return new EncodedAttributes(defs, values, lengths, size);
}

function encodeValue(def: AttributeDefinition, value: AttributeInputValue, context: EncodeContext): Buffer | string | number {
  const { name } = def;
  if (def.encrypt === 1) {
    if (!context.encryptUserPassword) throw new RadiusAttributeError(`${name} belongs in an Access-Request only`);
    return context.encryptUserPassword(typeof value === 'string' ? Buffer.from(value, 'utf8') : asBuffer(def, value));
  }
  if (Buffer.isBuffer(value)) return value;
  if (def.encrypt === 2 || def.hasTag) throw new RadiusAttributeError(`${name} must be given as its encoded octets (a Buffer)`);

  switch (def.dataType) {
    case 'string':
    case 'text':
    case 'octets':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && def.dataType !== 'octets') return String(value);
      break;
    case 'integer':
      if (typeof value === 'number' && value >= 0 && value <= 0xffffffff && Number.isInteger(value)) return value;
      return unsigned(def, value, 4);
    case 'short':
      return unsigned(def, value, 2);
    case 'byte':
      return unsigned(def, value, 1);
    case 'integer64': {
      const big = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : -1n;
      if (big < 0n || big >= 2n ** 64n) throw new RadiusAttributeError(`${name} must be an integer from 0 to 2^64-1`);
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(big);
      return out;
    }
    case 'date': {
      const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
      return unsigned(def, seconds, 4);
    }
    case 'ipaddr': {
      const out = typeof value === 'string' ? encodeIpv4(value) : null;
      if (!out) throw new RadiusAttributeError(`${name} must be an IPv4 address (a.b.c.d), got ${describe(value)}`);
      return out;
    }
    case 'ipv6addr': {
      const out = typeof value === 'string' ? encodeIpv6(value) : null;
      if (!out) throw new RadiusAttributeError(`${name} must be an IPv6 address, got ${describe(value)}`);
      return out;
    }
    case 'ipv6prefix': {
      const out = typeof value === 'string' ? encodeIpv6Prefix(value) : null;
      if (!out)
        throw new RadiusAttributeError(`${name} must be an IPv6 prefix (2001:db8::/48, no bits past the length), got ${describe(value)}`);
      return out;
    }
  }
  throw new RadiusAttributeError(`${name} (${def.dataType}) cannot be given as ${describe(value)}`);
}

function unsigned(def: AttributeDefinition, value: AttributeInputValue, octets: 1 | 2 | 4): Buffer {
  let n: unknown = value;
  if (typeof value === 'string') n = def.values.get(value) ?? (/^\d+$/.test(value) ? Number(value) : undefined);
  const max = 2 ** (octets * 8) - 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    const names = def.values.size ? ` or one of its names (${[...def.values.keys()].slice(0, 4).join(', ')}…)` : '';
    throw new RadiusAttributeError(`${def.name} must be an integer from 0 to ${max}${names}, got ${describe(value)}`);
  }
  const out = Buffer.alloc(octets);
  out.writeUIntBE(n, 0, octets);
  return out;
}

function asBuffer(def: AttributeDefinition, value: AttributeInputValue): Buffer {
  if (Buffer.isBuffer(value)) return value;
  throw new RadiusAttributeError(`${def.name} must be a string or a Buffer`);
}

function describe(value: AttributeInputValue): string {
  if (Buffer.isBuffer(value)) return `${value.length} octets`;
  if (value instanceof Date) return 'a Date';
  return JSON.stringify(typeof value === 'bigint' ? value.toString() : value);
}
