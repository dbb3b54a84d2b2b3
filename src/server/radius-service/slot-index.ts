/**
 * An open-addressing hash index from a key to a slot number, stored in one Int32Array: no object per entry, so
 * half a million entries cost 4 MB outside V8's heap instead of ~30 MB of Map internals the garbage collector
 * walks on every full collection. The keys themselves live with the caller (its slots); the index keeps only
 * slot numbers and asks the caller whether a slot holds the key sought.
 */
const EMPTY = 0;
const TOMBSTONE = -1;

export class SlotIndex {
  /** slot + 1, EMPTY or TOMBSTONE; the capacity is a power of two, kept at most half full. */
  private table = new Int32Array(1024);
  private used = 0; // live entries
  private deleted = 0; // tombstones

  constructor(private readonly hashOfSlot: (slot: number) => number) {}

  get size() {
    return this.used;
  }

  find(hash: number, holds: (slot: number) => boolean): number {
    const mask = this.table.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const v = this.table[i];
      if (v === EMPTY) return -1;
      if (v !== TOMBSTONE && holds(v - 1)) return v - 1;
    }
  }

  /** The caller guarantees no other slot holds the same key. */
  insert(hash: number, slot: number) {
    if ((this.used + this.deleted + 1) * 2 > this.table.length) this.rebuild();
    const mask = this.table.length - 1;
    let i = hash & mask;
    while (this.table[i] > 0) i = (i + 1) & mask;
    if (this.table[i] === TOMBSTONE) this.deleted--;
    this.table[i] = slot + 1;
    this.used++;
  }

  remove(hash: number, slot: number) {
    const mask = this.table.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const v = this.table[i];
      if (v === EMPTY) return;
      if (v === slot + 1) {
        this.table[i] = TOMBSTONE;
        this.used--;
        this.deleted++;
        return;
      }
    }
  }

  /** Re-inserts every live slot into a table sized for twice again as many, dropping the tombstones. */
  private rebuild() {
    const old = this.table;
    let capacity = 1024;
    while (capacity < (this.used + 1) * 4) capacity *= 2;
    this.table = new Int32Array(capacity);
    this.deleted = 0;
    const mask = capacity - 1;
    for (const v of old) {
      if (v <= 0) continue;
      let i = this.hashOfSlot(v - 1) & mask;
      while (this.table[i] !== EMPTY) i = (i + 1) & mask;
      this.table[i] = v;
    }
  }
}

/** FNV-1a over UTF-16 code units: cheap, and well spread for the short ASCII names subscribers have. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Multiplicative hashing with the high bits folded down, as the index masks the low ones. */
export function hashInt(n: number): number {
  const h = Math.imul(n, 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 0;
}
