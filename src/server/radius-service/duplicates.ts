/**
 * Retransmissions (RFC 5080 §2.2.2): a request with the same source address and port, identifier and Request
 * Authenticator within `ttlMs` is the NAS repeating itself, not a new request. It gets the reply already sent,
 * or nothing while the first is still being answered (accounting waits for its commit), and is never processed
 * twice. Entries live `ttlMs` (FreeRADIUS's cleanup_delay, 5 s).
 */
export class DuplicateCache {
  // Two generations, swapped every ttl: an entry lives between one and two ttl, and forgetting a whole
  // generation is one assignment. (Deleting from a Map's head per packet is not O(1): V8 keeps deleted slots
  // until it rehashes, and every walk from the head steps over them.)
  private current = new Map<string, { reply: Buffer | null; at: number }>();
  private previous = new Map<string, { reply: Buffer | null; at: number }>();
  private rotatedAt = 0;

  constructor(private readonly ttlMs = 5000) {}

  static key(address: string, port: number, identifier: number, authenticator: Buffer): string {
    return `${address}|${port}|${identifier}|${authenticator.toString('hex')}`;
  }

  /** 'new' (and remembered as in progress), or what to do with a retransmission. */
  check(key: string, now = Date.now()): { kind: 'new' } | { kind: 'in-progress' } | { kind: 'replied'; reply: Buffer } {
    this.rotate(now);
    const e = this.current.get(key) ?? this.previous.get(key);
    if (e && now - e.at < this.ttlMs) return e.reply ? { kind: 'replied', reply: e.reply } : { kind: 'in-progress' };
    this.current.set(key, { reply: null, at: now });
    return { kind: 'new' };
  }

  /** The reply sent for `key`; a request dropped without a reply is forgotten so its retransmission is tried again. */
  settle(key: string, reply: Buffer | null, now = Date.now()) {
    this.rotate(now);
    this.previous.delete(key);
    if (reply) this.current.set(key, { reply, at: now });
    else this.current.delete(key);
  }

  get size() {
    return this.current.size + this.previous.size;
  }

  private rotate(now: number) {
    if (now - this.rotatedAt < this.ttlMs) return;
    this.previous = now - this.rotatedAt < 2 * this.ttlMs ? this.current : new Map();
    this.current = new Map();
    this.rotatedAt = now;
  }
}
