// A decoded RADIUS packet: a view over the datagram. Values are decoded when read, never up front.
import { attributeKey, radiusDictionary, type AttributeDefinition } from './dictionary';
import { CODE_NAMES, HEADER_LENGTH, PROXY_STATE, type AttributeTable } from './wire';
import { readIpv4, readIpv6, readIpv6Prefix, readUint32 } from './values';

const MICROSOFT = 311;
const MIKROTIK = 14988;

// Fixed numbers for the typed accessors: no dictionary lookup on the hot path.
const A = {
  userName: 1,
  userPassword: 2,
  chapPassword: 3,
  nasIpAddress: 4,
  nasPort: 5,
  serviceType: 6,
  framedProtocol: 7,
  framedIpAddress: 8,
  class: 25,
  calledStationId: 30,
  callingStationId: 31,
  nasIdentifier: 32,
  acctStatusType: 40,
  acctDelayTime: 41,
  acctInputOctets: 42,
  acctOutputOctets: 43,
  acctSessionId: 44,
  acctSessionTime: 46,
  acctInputPackets: 47,
  acctOutputPackets: 48,
  acctTerminateCause: 49,
  acctInputGigawords: 52,
  acctOutputGigawords: 53,
  eventTimestamp: 55,
  chapChallenge: 60,
  nasPortType: 61,
  eapMessage: 79,
  acctInterimInterval: 85,
  nasPortId: 87,
  nasIpv6Address: 95,
  framedIpv6Prefix: 97,
  delegatedIpv6Prefix: 123,
  msChapResponse: attributeKey(MICROSOFT, 1),
  msChapChallenge: attributeKey(MICROSOFT, 11),
  msChap2Response: attributeKey(MICROSOFT, 25),
  mikrotikRealm: attributeKey(MIKROTIK, 9),
} as const;

/** Values that are, or let anyone with the secret recover, a password: never in logs or JSON. */
const HIDDEN_KEYS = new Set<number>([
  A.userPassword,
  A.chapPassword,
  69, // Tunnel-Password
  A.msChapResponse,
  A.msChap2Response,
  attributeKey(MICROSOFT, 12), // MS-CHAP-MPPE-Keys
  attributeKey(MICROSOFT, 16), // MS-MPPE-Send-Key
  attributeKey(MICROSOFT, 17), // MS-MPPE-Recv-Key
]);

export interface RadiusAttribute {
  /** 0 for standard attributes; Vendor-Specific sub-attributes carry their vendor. */
  vendor: number;
  type: number;
  /** Dictionary name, or "Attr-<type>" / "Vendor-<vendor>-Attr-<type>" when no dictionary names it. */
  name: string;
  value: Buffer;
}

export type AttributeValue = string | number | bigint | Date | Buffer;

export class RadiusMessage {
  readonly code: number;
  readonly identifier: number;
  /** Request Authenticator (requests) or Response Authenticator (replies), a view into `datagram`. */
  readonly authenticator: Buffer;
  /** The packet cut to its Length field. */
  readonly datagram: Buffer;
  readonly hasMessageAuthenticator: boolean;
  readonly #keys: number[];
  readonly #starts: number[];
  readonly #ends: number[];

  constructor(datagram: Buffer, table: AttributeTable) {
    this.datagram = datagram;
    this.code = datagram[0];
    this.identifier = datagram[1];
    this.authenticator = datagram.subarray(4, HEADER_LENGTH);
    this.hasMessageAuthenticator = table.messageAuthenticatorAt !== -1;
    this.#keys = table.keys;
    this.#starts = table.starts;
    this.#ends = table.ends;
  }

  get codeName(): string {
    return CODE_NAMES[this.code] ?? `Code-${this.code}`;
  }

  /** Every attribute in packet order; Vendor-Specific ones split into their sub-attributes. */
  get attributes(): RadiusAttribute[] {
    const dictionary = radiusDictionary();
    return this.#keys.map((key, i) => {
      const vendor = Math.floor(key / 256);
      const type = key % 256;
      return {
        vendor,
        type,
        name: dictionary.byKey(key)?.name ?? (vendor ? `Vendor-${vendor}-Attr-${type}` : `Attr-${type}`),
        value: this.datagram.subarray(this.#starts[i], this.#ends[i]),
      };
    });
  }

  /** Proxy-State values in order: a reply must carry them back unchanged (RFC 2865 §5.33). */
  get proxyStates(): Buffer[] {
    return this.rawAllByKey(PROXY_STATE);
  }

  // --- by dictionary name -------------------------------------------------------------------------------

  has(name: string): boolean {
    return this.indexOf(definition(name).key) !== -1;
  }

  /** The first value's octets, as sent. */
  raw(name: string): Buffer | undefined {
    return this.rawByKey(definition(name).key);
  }

  rawAll(name: string): Buffer[] {
    return this.rawAllByKey(definition(name).key);
  }

  /** The first value decoded by its dictionary type (enumerated integers by name when the dictionary names them). */
  get(name: string): AttributeValue | undefined {
    const def = definition(name);
    const i = this.indexOf(def.key);
    return i === -1 ? undefined : this.decodeAt(def, i);
  }

  /** The first value as UTF-8 text, whatever its dictionary type. */
  text(name: string): string | undefined {
    return this.textByKey(definition(name).key);
  }

  /** The first value as a 32-bit unsigned integer; undefined when absent or not 4 octets. */
  integer(name: string): number | undefined {
    return this.uint32ByKey(definition(name).key);
  }

  getAll(name: string): AttributeValue[] {
    const def = definition(name);
    const out: AttributeValue[] = [];
    for (let i = 0; i < this.#keys.length; i++) {
      if (this.#keys[i] !== def.key) continue;
      const value = this.decodeAt(def, i);
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  /** Every attribute by name, decoded; repeated ones as arrays; passwords and keys shown as "<hidden>". */
  toRecord(): Record<string, unknown> {
    const dictionary = radiusDictionary();
    const record: Record<string, unknown> = {};
    for (let i = 0; i < this.#keys.length; i++) {
      const key = this.#keys[i];
      const def = dictionary.byKey(key);
      const vendor = Math.floor(key / 256);
      const name = def?.name ?? (vendor ? `Vendor-${vendor}-Attr-${key % 256}` : `Attr-${key}`);
      const value = HIDDEN_KEYS.has(key)
        ? '<hidden>'
        : def
          ? (this.decodeAt(def, i) ?? this.datagram.subarray(this.#starts[i], this.#ends[i]))
          : this.datagram.subarray(this.#starts[i], this.#ends[i]);
      const shown = Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : typeof value === 'bigint' ? value.toString() : value;
      const previous = record[name];
      record[name] = previous === undefined ? shown : Array.isArray(previous) ? [...previous, shown] : [previous, shown];
    }
    return record;
  }

  /** What JSON.stringify and loggers see: never the raw datagram (it carries the encrypted password). */
  toJSON() {
    return { code: this.codeName, identifier: this.identifier, attributes: this.toRecord() };
  }

  // --- typed accessors for what the RADIUS service reads -------------------------------------------------

  get userName() {
    return this.textByKey(A.userName);
  }
  /** The encrypted User-Password octets; decryptUserPassword() opens them. */
  get userPassword() {
    return this.rawByKey(A.userPassword);
  }
  /** CHAP ident (1 octet) + MD5 response (16). */
  get chapPassword() {
    return this.rawByKey(A.chapPassword);
  }
  get chapChallenge() {
    return this.rawByKey(A.chapChallenge);
  }
  get msChapChallenge() {
    return this.rawByKey(A.msChapChallenge);
  }
  get msChap2Response() {
    return this.rawByKey(A.msChap2Response);
  }
  get msChapResponse() {
    return this.rawByKey(A.msChapResponse);
  }
  get eapMessage() {
    return this.rawByKey(A.eapMessage);
  }
  get nasIpAddress() {
    return this.ipv4ByKey(A.nasIpAddress);
  }
  get nasIpv6Address() {
    return this.atKey(A.nasIpv6Address, readIpv6);
  }
  get nasIdentifier() {
    return this.textByKey(A.nasIdentifier);
  }
  get nasPort() {
    return this.uint32ByKey(A.nasPort);
  }
  get nasPortId() {
    return this.textByKey(A.nasPortId);
  }
  get nasPortType() {
    return this.uint32ByKey(A.nasPortType);
  }
  get serviceType() {
    return this.uint32ByKey(A.serviceType);
  }
  get framedProtocol() {
    return this.uint32ByKey(A.framedProtocol);
  }
  get framedIpAddress() {
    return this.ipv4ByKey(A.framedIpAddress);
  }
  get framedIpv6Prefix() {
    return this.atKey(A.framedIpv6Prefix, readIpv6Prefix);
  }
  get delegatedIpv6Prefix() {
    return this.atKey(A.delegatedIpv6Prefix, readIpv6Prefix);
  }
  get callingStationId() {
    return this.textByKey(A.callingStationId);
  }
  get calledStationId() {
    return this.textByKey(A.calledStationId);
  }
  /** 1 Start, 2 Stop, 3 Interim-Update, 7 Accounting-On, 8 Accounting-Off. */
  get acctStatusType() {
    return this.uint32ByKey(A.acctStatusType);
  }
  get acctSessionId() {
    return this.textByKey(A.acctSessionId);
  }
  get acctSessionTime() {
    return this.uint32ByKey(A.acctSessionTime);
  }
  get acctInputOctets() {
    return this.uint32ByKey(A.acctInputOctets);
  }
  get acctOutputOctets() {
    return this.uint32ByKey(A.acctOutputOctets);
  }
  get acctInputGigawords() {
    return this.uint32ByKey(A.acctInputGigawords);
  }
  get acctOutputGigawords() {
    return this.uint32ByKey(A.acctOutputGigawords);
  }
  /** Gigawords << 32 + Octets (exact below 2^53 bytes, 8 PiB). */
  get acctInputBytes() {
    return this.bytes(A.acctInputGigawords, A.acctInputOctets);
  }
  get acctOutputBytes() {
    return this.bytes(A.acctOutputGigawords, A.acctOutputOctets);
  }
  get acctInputPackets() {
    return this.uint32ByKey(A.acctInputPackets);
  }
  get acctOutputPackets() {
    return this.uint32ByKey(A.acctOutputPackets);
  }
  get acctTerminateCause() {
    return this.uint32ByKey(A.acctTerminateCause);
  }
  get acctDelayTime() {
    return this.uint32ByKey(A.acctDelayTime);
  }
  get acctInterimInterval() {
    return this.uint32ByKey(A.acctInterimInterval);
  }
  /** Event-Timestamp in seconds since 1970 (UTC). */
  get eventTimestamp() {
    return this.uint32ByKey(A.eventTimestamp);
  }
  /** Every Class value, in order (a NAS echoes the ones from the Access-Accept in accounting). */
  get classes() {
    return this.rawAllByKey(A.class);
  }
  get mikrotikRealm() {
    return this.textByKey(A.mikrotikRealm);
  }

  // --- by number ---------------------------------------------------------------------------------------

  indexOf(key: number): number {
    return this.#keys.indexOf(key);
  }

  rawByKey(key: number): Buffer | undefined {
    const i = this.#keys.indexOf(key);
    return i === -1 ? undefined : this.datagram.subarray(this.#starts[i], this.#ends[i]);
  }

  rawAllByKey(key: number): Buffer[] {
    const out: Buffer[] = [];
    for (let i = 0; i < this.#keys.length; i++) {
      if (this.#keys[i] === key) out.push(this.datagram.subarray(this.#starts[i], this.#ends[i]));
    }
    return out;
  }

  textByKey(key: number): string | undefined {
    const i = this.#keys.indexOf(key);
    return i === -1 ? undefined : this.datagram.toString('utf8', this.#starts[i], this.#ends[i]);
  }

  /** undefined when absent or not 4 octets long (a malformed integer is treated as absent). */
  uint32ByKey(key: number): number | undefined {
    return this.atKey(key, readUint32);
  }

  ipv4ByKey(key: number): string | undefined {
    return this.atKey(key, readIpv4);
  }

  private atKey<T>(key: number, read: (buf: Buffer, start: number, end: number) => T | undefined): T | undefined {
    const i = this.#keys.indexOf(key);
    return i === -1 ? undefined : read(this.datagram, this.#starts[i], this.#ends[i]);
  }

  private bytes(gigawordsKey: number, octetsKey: number): number | undefined {
    const octets = this.uint32ByKey(octetsKey);
    if (octets === undefined) return undefined;
    return (this.uint32ByKey(gigawordsKey) ?? 0) * 2 ** 32 + octets;
  }

  private decodeAt(def: AttributeDefinition, i: number): AttributeValue | undefined {
    const buf = this.datagram;
    let start = this.#starts[i];
    const end = this.#ends[i];
    // RFC 2868 §3: a tag octet (0x00-0x1F) may lead a tagged value.
    if (def.hasTag && end > start && buf[start] <= 0x1f && def.dataType !== 'integer') start++;
    switch (def.dataType) {
      case 'string':
      case 'text':
        return def.encrypt ? buf.subarray(start, end) : buf.toString('utf8', start, end);
      case 'ipaddr':
        return readIpv4(buf, start, end);
      case 'ipv6addr':
        return readIpv6(buf, start, end);
      case 'ipv6prefix':
        return readIpv6Prefix(buf, start, end);
      case 'integer': {
        // Tagged integers keep 3 octets after the tag.
        const value = def.hasTag && end - start === 4 ? buf.readUIntBE(start + 1, 3) : readUint32(buf, start, end);
        return value === undefined ? undefined : (def.valueNames.get(value) ?? value);
      }
      case 'date': {
        const seconds = readUint32(buf, start, end);
        return seconds === undefined ? undefined : new Date(seconds * 1000);
      }
      case 'short':
        return end - start === 2 ? buf.readUInt16BE(start) : undefined;
      case 'byte':
        return end - start === 1 ? buf[start] : undefined;
      case 'integer64':
        return end - start === 8 ? buf.readBigUInt64BE(start) : undefined;
      default:
        return buf.subarray(start, end);
    }
  }
}

export type RadiusRequest = RadiusMessage;
export type RadiusReply = RadiusMessage;

function definition(name: string): AttributeDefinition {
  const def = radiusDictionary().byName(name);
  if (!def) throw new Error(`unknown RADIUS attribute "${name}" (not in the RFC, MikroTik, Microsoft or WISPr dictionaries)`);
  return def;
}
