import { isIPv4 } from 'node:net';
import { hashInt, hashString, SlotIndex } from './slot-index';

export interface Subscriber {
  id: number;
  username: string;
  /** Still the ciphertext: decrypted for the one request that needs it, never kept in the clear. */
  passwordEnc: string;
  /**
   * Whether the ciphertext was found to decrypt for this row (tag and binding checked once, after the row was
   * loaded), so that a request opens it without checking again (subscriberPassword): 'opens', 'fails' (none
   * set, or unreadable), or 'pending' (not checked yet: a request checks it in full).
   */
  passwordCheck: PasswordCheck;
  isActive: boolean;
  nasId: number | null;
  resellerId: number | null;
  planId: number | null;
  staticIp: string | null;
}

export type PasswordCheck = 'opens' | 'fails' | 'pending';

/** A row as the database gives it: what the table compares on a reload. */
export type SubscriberRow = Omit<Subscriber, 'passwordCheck'>;

const NONE = -1; // a null id column
const LIVE = 1;
const ACTIVE = 2;
const HAS_IPV4 = 4;
const PASSWORD_OPENS = 8;
const PASSWORD_FAILS = 16;

/**
 * Half a million subscribers in columns rather than objects: typed arrays for the numbers, one byte arena for the
 * password ciphertexts, open-addressing indexes by name and id. As objects they were ~150 MB of V8 heap, which
 * every full garbage collection walks and which V8 sizes its next heap limit from — under accounting load that
 * grew the process past 700 MB. As columns they are ~20 MB of heap (the names) and ~60 MB outside it.
 *
 * A slot is a subscriber's place in every column; deleted slots are reused. `read` builds the object a request
 * needs, short-lived and cheap.
 */
export class SubscriberTable {
  private capacity = 0;
  private ids = new Int32Array(0);
  private nasIds = new Int32Array(0);
  private resellerIds = new Int32Array(0);
  private planIds = new Int32Array(0);
  private ipv4 = new Uint32Array(0);
  private flags = new Uint8Array(0);
  private generations = new Uint32Array(0);
  private passwordAt = new Uint32Array(0);
  private passwordLength = new Uint32Array(0);
  private names: (string | undefined)[] = [];
  /** A static address that is not IPv4 (the column is inet): rare, so kept aside. */
  private otherIps = new Map<number, string>();
  private freeSlots: number[] = [];
  private highWater = 0;

  private arena = Buffer.alloc(1 << 20);
  private arenaUsed = 0;
  private arenaGarbage = 0;

  private byName = new SlotIndex((slot) => hashString(this.names[slot]!));
  private byId = new SlotIndex((slot) => hashInt(this.ids[slot]));

  get size() {
    return this.byId.size;
  }

  /** Bytes held for password ciphertexts, and how many of them belong to removed or replaced rows. */
  get arenaStats() {
    return { used: this.arenaUsed, garbage: this.arenaGarbage };
  }

  /**
   * Makes room for `rows` subscribers and `passwordBytes` of ciphertext at once, before a full load: growing by
   * doubling would leave each outgrown copy of every column (and of the arena) to the garbage collector, and
   * the process's peak RSS would count them all.
   */
  reserve(rows: number, passwordBytes: number) {
    if (rows > this.capacity) this.grow(rows);
    // Totals, not additions: a reload stores again only the rows that changed.
    if (passwordBytes > this.arena.length) this.makeRoom(0, passwordBytes);
  }

  slotOfName(name: string): number {
    return this.byName.find(hashString(name), (slot) => this.names[slot] === name);
  }

  slotOfId(id: number): number {
    return this.byId.find(hashInt(id), (slot) => this.ids[slot] === id);
  }

  read(slot: number): Subscriber {
    const f = this.flags[slot];
    return {
      id: this.ids[slot],
      username: this.names[slot]!,
      passwordEnc: this.password(slot),
      isActive: (f & ACTIVE) !== 0,
      passwordCheck: this.passwordCheck(slot),
      nasId: orNull(this.nasIds[slot]),
      resellerId: orNull(this.resellerIds[slot]),
      planId: orNull(this.planIds[slot]),
      staticIp: f & HAS_IPV4 ? ipv4ToString(this.ipv4[slot]) : (this.otherIps.get(slot) ?? null),
    };
  }

  /** Whether the slot holds exactly this row, compared column by column (no object built). */
  holds(slot: number, s: SubscriberRow): boolean {
    const f = this.flags[slot];
    return (
      this.ids[slot] === s.id &&
      this.names[slot] === s.username &&
      ((f & ACTIVE) !== 0) === s.isActive &&
      this.nasIds[slot] === orNone(s.nasId) &&
      this.resellerIds[slot] === orNone(s.resellerId) &&
      this.planIds[slot] === orNone(s.planId) &&
      this.staticIpMatches(slot, s.staticIp) &&
      this.passwordIs(slot, s.passwordEnc)
    );
  }

  /** Compares in place: a reload compares every row, and a string decoded per row would be 40 MB of garbage. */
  private passwordIs(slot: number, text: string): boolean {
    const length = this.passwordLength[slot];
    if (text.length !== length) return Buffer.byteLength(text) === length && this.password(slot) === text;
    const at = this.passwordAt[slot];
    for (let i = 0; i < length; i++) if (text.charCodeAt(i) !== this.arena[at + i]) return this.password(slot) === text;
    return true;
  }

  /**
   * Stores a subscriber whose id no slot holds. When another slot holds its name (a rename not yet seen on that
   * row), the name now finds the new one; the other keeps its id until its own row arrives.
   */
  add(s: SubscriberRow, generation: number, check: PasswordCheck): number {
    const slot = this.freeSlots.pop() ?? this.newSlot();
    const namesake = this.slotOfName(s.username);
    if (namesake >= 0) this.byName.remove(hashString(s.username), namesake);

    this.ids[slot] = s.id;
    this.names[slot] = s.username;
    this.nasIds[slot] = orNone(s.nasId);
    this.resellerIds[slot] = orNone(s.resellerId);
    this.planIds[slot] = orNone(s.planId);
    this.generations[slot] = generation;
    let f = LIVE | (s.isActive ? ACTIVE : 0) | checkFlag(check);
    if (s.staticIp !== null && isIPv4(s.staticIp)) {
      this.ipv4[slot] = ipv4ToUint(s.staticIp);
      f |= HAS_IPV4;
    } else if (s.staticIp !== null) this.otherIps.set(slot, s.staticIp);
    this.flags[slot] = f;
    this.storePassword(slot, s.passwordEnc);

    this.byId.insert(hashInt(s.id), slot);
    this.byName.insert(hashString(s.username), slot);
    return slot;
  }

  remove(slot: number) {
    this.byId.remove(hashInt(this.ids[slot]), slot);
    // A no-op when a newer row took the name (see add).
    this.byName.remove(hashString(this.names[slot]!), slot);
    this.names[slot] = undefined;
    this.flags[slot] = 0;
    this.otherIps.delete(slot);
    this.arenaGarbage += this.passwordLength[slot];
    this.passwordLength[slot] = 0;
    this.freeSlots.push(slot);
  }

  passwordCheck(slot: number): PasswordCheck {
    const f = this.flags[slot];
    return f & PASSWORD_OPENS ? 'opens' : f & PASSWORD_FAILS ? 'fails' : 'pending';
  }

  setPasswordCheck(slot: number, check: PasswordCheck) {
    this.flags[slot] = (this.flags[slot] & ~(PASSWORD_OPENS | PASSWORD_FAILS)) | checkFlag(check);
  }

  generation(slot: number): number {
    return this.generations[slot];
  }

  setGeneration(slot: number, generation: number) {
    this.generations[slot] = generation;
  }

  /** Every stored slot; safe to remove the slot being visited. */
  *slots(): Generator<number> {
    for (let slot = 0; slot < this.highWater; slot++) if (this.flags[slot] & LIVE) yield slot;
  }

  private password(slot: number): string {
    const at = this.passwordAt[slot];
    return this.arena.toString('utf8', at, at + this.passwordLength[slot]);
  }

  private staticIpMatches(slot: number, ip: string | null): boolean {
    if (this.flags[slot] & HAS_IPV4) return ip !== null && isIPv4(ip) && ipv4ToUint(ip) === this.ipv4[slot];
    return (this.otherIps.get(slot) ?? null) === ip;
  }

  private storePassword(slot: number, text: string) {
    const length = Buffer.byteLength(text);
    if (this.arenaUsed + length > this.arena.length) this.makeRoom(length);
    this.arena.write(text, this.arenaUsed, 'utf8');
    this.passwordAt[slot] = this.arenaUsed;
    this.passwordLength[slot] = length;
    this.arenaUsed += length;
  }

  /** A new arena holding the live bytes compacted, with room for `needed` more (twice that, unless sized exactly). */
  private makeRoom(needed: number, exactSize?: number) {
    const live = this.arenaUsed - this.arenaGarbage;
    let size = this.arena.length;
    if (exactSize !== undefined) size = Math.max(exactSize, live + needed);
    else while (size < (live + needed) * 2) size *= 2;
    const next = Buffer.alloc(size);
    let used = 0;
    for (const slot of this.slots()) {
      const at = this.passwordAt[slot];
      const length = this.passwordLength[slot];
      this.arena.copy(next, used, at, at + length);
      this.passwordAt[slot] = used;
      used += length;
    }
    this.arena = next;
    this.arenaUsed = used;
    this.arenaGarbage = 0;
  }

  private newSlot(): number {
    if (this.highWater === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
    return this.highWater++;
  }

  private grow(capacity: number) {
    const widen = <T extends Int32Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.ids = widen(this.ids, (n) => new Int32Array(n));
    this.nasIds = widen(this.nasIds, (n) => new Int32Array(n));
    this.resellerIds = widen(this.resellerIds, (n) => new Int32Array(n));
    this.planIds = widen(this.planIds, (n) => new Int32Array(n));
    this.ipv4 = widen(this.ipv4, (n) => new Uint32Array(n));
    this.flags = widen(this.flags, (n) => new Uint8Array(n));
    this.generations = widen(this.generations, (n) => new Uint32Array(n));
    this.passwordAt = widen(this.passwordAt, (n) => new Uint32Array(n));
    this.passwordLength = widen(this.passwordLength, (n) => new Uint32Array(n));
    this.capacity = capacity;
  }
}

const checkFlag = (check: PasswordCheck) => (check === 'opens' ? PASSWORD_OPENS : check === 'fails' ? PASSWORD_FAILS : 0);
const orNull = (v: number) => (v === NONE ? null : v);
const orNone = (v: number | null) => (v === null ? NONE : v);

function ipv4ToUint(ip: string): number {
  const [a, b, c, d] = ip.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function ipv4ToString(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
