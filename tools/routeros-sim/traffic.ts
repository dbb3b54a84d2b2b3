// Made-up but plausible traffic for a simulated PPP session: counters that grow with the session's rate limit,
// so accounting and queues show something that moves.
import { stableHash } from './state';

/** Without a Mikrotik-Rate-Limit a session moves at most this much each way (bit/s). */
const UNLIMITED_BPS = 10_000_000;
const GIGAWORD = 2 ** 32;

export interface Rates {
  /** What the router receives from the subscriber (their upload), bit/s. */
  rxBps: number;
  /** What the router sends them (their download), bit/s. */
  txBps: number;
}

/** `123`, `512k`, `50M`, `1G` → bit/s; null when it is not a rate. */
export function parseRate(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([kMG]?)$/.exec(text.trim());
  if (!m) return null;
  const scale = { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] as '' | 'k' | 'M' | 'G'];
  return Math.round(Number(m[1]) * scale);
}

/** The first pair of a Mikrotik-Rate-Limit, `rx[/tx] …`; a lone rate applies both ways. Null when unreadable. */
export function parseRateLimit(limit: string): Rates | null {
  const [pair] = limit.trim().split(/\s+/);
  const [rx, tx = rx] = (pair ?? '').split('/');
  const rxBps = parseRate(rx ?? '');
  const txBps = parseRate(tx);
  return rxBps === null || txBps === null ? null : { rxBps, txBps };
}

export interface Counters {
  inOctets: number;
  outOctets: number;
  inPackets: number;
  outPackets: number;
}

/** Counters of one session: advanced to "now" whenever they are read, at the rate the session has then. */
export class SessionTraffic {
  private readonly counters: Counters = { inOctets: 0, outOctets: 0, inPackets: 0, outPackets: 0 };
  /** 15-60 % of the limit, stable per subscriber: some subscribers use more than others. */
  private readonly load: number;

  constructor(
    name: string,
    private countedAt: number,
  ) {
    this.load = 0.15 + (stableHash(`load:${name}`) % 46) / 100;
  }

  read(rateLimit: string | undefined, now = Date.now()): Counters {
    const seconds = Math.max(0, now - this.countedAt) / 1000;
    this.countedAt = Math.max(this.countedAt, now);
    const rates = (rateLimit && parseRateLimit(rateLimit)) || { rxBps: UNLIMITED_BPS, txBps: UNLIMITED_BPS };
    const inBytes = (rates.rxBps / 8) * seconds * this.load;
    const outBytes = (rates.txBps / 8) * seconds * this.load;
    this.counters.inOctets += inBytes;
    this.counters.outOctets += outBytes;
    // Uploads are mostly ACKs and requests, downloads full-size frames.
    this.counters.inPackets += inBytes / 400;
    this.counters.outPackets += outBytes / 1200;
    return {
      inOctets: Math.floor(this.counters.inOctets),
      outOctets: Math.floor(this.counters.outOctets),
      inPackets: Math.floor(this.counters.inPackets),
      outPackets: Math.floor(this.counters.outPackets),
    };
  }
}

/** RFC 2869 §5.1: the low 32 bits in Acct-*-Octets, how many times they wrapped in Acct-*-Gigawords. */
export function splitOctets(total: number): { octets: number; gigawords: number } {
  return { octets: total % GIGAWORD, gigawords: Math.floor(total / GIGAWORD) };
}
