/**
 * Retransmissions (RFC 5080 §2.2.2): a request with the same source address and port, identifier and Request
 * Authenticator within `ttlMs` is the NAS repeating itself, not a new request. It gets the reply already sent,
 * or nothing while the first is still being answered (accounting waits for its commit), and is never processed
 * twice. Entries live `ttlMs` (FreeRADIUS's cleanup_delay, 5 s).
 *
 * Every request of the last 5-10 s is in here, so its size grows with the request rate: 100,000 entries at
 * 10,000 requests/s. Kept as a Map from a flat key to a small integer, with the replies copied into 64 KB
 * arenas, an entry costs about a quarter of what a template-string key and a `{ reply: Buffer, at }` object
 * per entry did (550 bytes of V8 heap each): figure 13 in docs/BENCHMARKS.md.
 */
export class DuplicateCache {
  // Two generations, swapped every ttl: an entry lives between one and two ttl, and forgetting a whole
  // generation (its index and its arenas) is one assignment. (Deleting from a Map's head per packet is not
  // O(1): V8 keeps deleted slots until it rehashes, and every walk from the head steps over them.)
  private current = new Generation(0);
  private previous = new Generation(0);

  constructor(private readonly ttlMs = 5000) {}

  /**
   * The request's identity as one flat one-byte string: authenticator, identifier, port, then the address. Written
   * into a scratch buffer and read out in one piece, because a key joined from parts (a template string) is a tree
   * of V8 string pieces that the Map keeps alive: about 290 bytes an entry against 90.
   */
  static key(address: string, port: number, identifier: number, authenticator: Buffer): string {
    authenticator.copy(keyScratch, 0, 0, 16);
    keyScratch[16] = identifier;
    keyScratch.writeUInt16BE(port, 17);
    const end = 19 + keyScratch.write(address, 19, 'latin1');
    return keyScratch.toString('latin1', 0, end);
  }

  /** 'new' (and remembered as in progress), or what to do with a retransmission. */
  check(key: string, now = Date.now()): { kind: 'new' } | { kind: 'in-progress' } | { kind: 'replied'; reply: Buffer } {
    this.rotate(now);
    const seen = this.current.find(key, now, this.ttlMs) ?? this.previous.find(key, now, this.ttlMs);
    if (seen) return seen;
    this.current.startRequest(key, now);
    return { kind: 'new' };
  }

  /** The reply sent for `key`; a request dropped without a reply is forgotten so its retransmission is tried again. */
  settle(key: string, reply: Buffer | null, now = Date.now()) {
    this.rotate(now);
    this.previous.forget(key);
    if (reply) this.current.keepReply(key, reply, now);
    else this.current.forget(key);
  }

  get size() {
    return this.current.size + this.previous.size;
  }

  private rotate(now: number) {
    if (now - this.current.startedAt < this.ttlMs) return;
    this.previous = now - this.current.startedAt < 2 * this.ttlMs ? this.current : new Generation(now);
    this.current = new Generation(now);
  }
}

// An address is at most 45 characters (IPv6 with an embedded IPv4), a scope id aside: 128 leaves room.
const keyScratch = Buffer.alloc(19 + 128);

const ARENA_BYTES = 64 * 1024;
/** Per kept reply: when it was sent (ms after the generation started, uint32) and its length (uint16). */
const RECORD_HEAD = 6;

/**
 * One generation's entries. The index maps a key to a Smi: -1 - t for a request in progress since t ms after
 * the generation started, or the position of its reply record in the arenas (arena number × 64 KB + offset).
 * A RADIUS packet is at most 4,096 bytes, so a record always fits an arena.
 */
class Generation {
  private readonly index = new Map<string, number>();
  private readonly arenas: Buffer[] = [];
  private used = ARENA_BYTES;

  constructor(readonly startedAt: number) {}

  get size() {
    return this.index.size;
  }

  find(key: string, now: number, ttlMs: number): { kind: 'in-progress' } | { kind: 'replied'; reply: Buffer } | null {
    const v = this.index.get(key);
    if (v === undefined) return null;
    if (v < 0) return now - (this.startedAt - 1 - v) < ttlMs ? { kind: 'in-progress' } : null;
    const arena = this.arenas[Math.floor(v / ARENA_BYTES)];
    const at = v % ARENA_BYTES;
    if (now - (this.startedAt + arena.readUInt32LE(at)) >= ttlMs) return null;
    const start = at + RECORD_HEAD;
    // A copy: the caller may hold it past this generation.
    return { kind: 'replied', reply: Buffer.from(arena.subarray(start, start + arena.readUInt16LE(at + 4))) };
  }

  startRequest(key: string, now: number) {
    this.index.set(key, -1 - (now - this.startedAt));
  }

  keepReply(key: string, reply: Buffer, now: number) {
    const need = RECORD_HEAD + reply.length;
    if (need > ARENA_BYTES) return this.index.delete(key); // not a RADIUS packet: never the case
    if (this.used + need > ARENA_BYTES) {
      this.arenas.push(Buffer.allocUnsafeSlow(ARENA_BYTES));
      this.used = 0;
    }
    const arena = this.arenas[this.arenas.length - 1];
    arena.writeUInt32LE(now - this.startedAt, this.used);
    arena.writeUInt16LE(reply.length, this.used + 4);
    reply.copy(arena, this.used + RECORD_HEAD);
    this.index.set(key, (this.arenas.length - 1) * ARENA_BYTES + this.used);
    this.used += need;
  }

  forget(key: string) {
    this.index.delete(key);
  }
}
