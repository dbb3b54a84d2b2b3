/**
 * Retransmissions (RFC 5080 §2.2.2): a request with the same source address and port, identifier and Request
 * Authenticator within `ttlMs` is the NAS repeating itself, not a new request. It gets the reply already sent,
 * or nothing while the first is still being answered (accounting waits for its commit), and is never processed
 * twice. Entries live `ttlMs` (FreeRADIUS's cleanup_delay, 5 s).
 */
export class DuplicateCache {
  // Insertion order is time order (settle re-inserts), so expired entries are always at the head.
  private entries = new Map<string, { reply: Buffer | null; at: number }>();

  constructor(private readonly ttlMs = 5000) {}

  static key(address: string, port: number, identifier: number, authenticator: Buffer): string {
    return `${address}|${port}|${identifier}|${authenticator.toString('hex')}`;
  }

  /** 'new' (and remembered as in progress), or what to do with a retransmission. */
  check(key: string, now = Date.now()): { kind: 'new' } | { kind: 'in-progress' } | { kind: 'replied'; reply: Buffer } {
    this.sweep(now);
    const e = this.entries.get(key);
    if (e && now - e.at < this.ttlMs) return e.reply ? { kind: 'replied', reply: e.reply } : { kind: 'in-progress' };
    this.entries.set(key, { reply: null, at: now });
    return { kind: 'new' };
  }

  /** The reply sent for `key`; a request dropped without a reply is forgotten so its retransmission is tried again. */
  settle(key: string, reply: Buffer | null, now = Date.now()) {
    this.entries.delete(key);
    if (reply) this.entries.set(key, { reply, at: now });
  }

  get size() {
    return this.entries.size;
  }

  /** Drops expired entries from the head: a little work on every packet instead of a pause over all of them. */
  private sweep(now: number) {
    for (const [k, e] of this.entries) {
      if (now - e.at < this.ttlMs) return;
      this.entries.delete(k);
    }
  }
}
