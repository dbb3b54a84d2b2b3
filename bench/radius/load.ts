/**
 * The bench's RADIUS load generator: one UDP socket per source address (a NAS's address), at most 256
 * requests outstanding per socket (the identifier is one octet), replies matched by socket + identifier
 * and verified with the NAS's secret. No retransmission: a request without a verified reply within
 * `timeoutMs` is a timeout. Closed loop (N outstanding: throughput) or open loop (a fixed rate: latency
 * under a given load). What to send comes from a Workload (workloads.ts).
 */
import dgram from 'node:dgram';
import os from 'node:os';
import { checkReply, Code } from './packet';
import { summarize, type Summary } from '../lib/stats';

export interface LoadSource {
  /** The loopback address the socket binds: the NAS's address, since servers accept only known clients. */
  address: string;
  secret: string;
}

export interface Planned {
  packet: Buffer;
  authenticator: Buffer;
  /** For the report's per-kind counts: 'pap', 'start', 'interim', 'stop'. */
  kind: string;
}

export type Outcome = 'accept' | 'reject' | 'response' | 'other' | 'bad' | 'timeout';

export interface Workload {
  /** The next request from source `source` (an index into the sources) with identifier `id`; null: none ready now. */
  next(source: number, id: number): Planned | null;
  /** Told how each request ended, so stateful workloads (sessions) can move on. */
  settle?(source: number, planned: Planned, outcome: Outcome): void;
}

export type LoadMode = { kind: 'closed'; outstanding: number } | { kind: 'open'; rate: number };

export interface LoadOptions {
  host: string;
  port: number;
  sources: readonly LoadSource[];
  workload: Workload;
  mode: LoadMode;
  /** Measured time, after the warm-up. */
  durationMs: number;
  /** Stops sending early when it settles (load that lasts as long as something else runs); the figures cover the time sent. */
  until?: Promise<unknown>;
  /** Sent and answered like the rest, left out of the figures. */
  warmupMs?: number;
  timeoutMs?: number;
  /**
   * Niceness for the generator's thread while it runs (e.g. -10, root only): its schedule and timestamps
   * then do not wait behind the server's threads on a small machine, as a NAS fleet's would not.
   */
  nice?: number;
}

export interface LoadReport {
  mode: string;
  /** Open loop: the rate asked for (requests/s). */
  offered: number | null;
  seconds: number;
  sent: number;
  answered: number;
  accepts: number;
  rejects: number;
  responses: number;
  other: number;
  /** Replies that failed verification (wrong authenticator, Message-Authenticator, length). */
  bad: number;
  timeouts: number;
  /** Datagrams for no outstanding request (late replies after a timeout, duplicates). */
  stray: number;
  /** Verified replies per second to requests sent in the measured window. */
  throughput: number;
  /** Requests sent per second in the measured window. */
  sendRate: number;
  /** Over verified replies, in ms. */
  latency: Summary;
  /** p99 over every request sent, a timeout or bad reply counting as infinitely slow. */
  p99All: number;
  /** Open loop: how far behind its schedule the generator fell at worst (ms). */
  maxLagMs: number;
  /** Times a request could not go out when due (no free identifier, or the workload had none ready). */
  stalls: number;
  byKind: Record<string, { sent: number; answered: number }>;
  /** The niceness the generator ran at, null when it was not changed (not asked, or not allowed). */
  nice: number | null;
}

interface Pending {
  planned: Planned;
  sentAt: number;
  measured: boolean;
  done: boolean;
  socket: number;
  id: number;
}

const MAX_PER_SOCKET = 256;
/** A timed-out identifier rests this long before reuse, so a late reply cannot be taken for a newer request's. */
const QUARANTINE_MS = 5_000;
/** Asked of the kernel for every socket; Linux caps it at net.core.rmem_max. */
export const RECV_BUFFER = 4 * 1024 * 1024;

class Channel {
  readonly socket: dgram.Socket;
  readonly slots: (Pending | undefined)[] = new Array(MAX_PER_SOCKET);
  /** Free identifiers, oldest first: an identifier is reused as late as possible. */
  readonly free: number[] = Array.from({ length: MAX_PER_SOCKET }, (_, i) => i);
  readonly resting: { id: number; until: number }[] = [];
  inFlight = 0;
  constructor(readonly source: LoadSource) {
    // Room for a full window of replies arriving at once (the default buffer drops a burst of ~200).
    this.socket = dgram.createSocket({ type: 'udp4', recvBufferSize: RECV_BUFFER });
  }
}

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const warmupMs = opts.warmupMs ?? 0;
  if (opts.sources.length === 0) throw new Error('no source addresses');
  if (opts.mode.kind === 'closed' && opts.mode.outstanding > opts.sources.length * MAX_PER_SOCKET)
    throw new Error(`${opts.mode.outstanding} outstanding need more than ${opts.sources.length} sockets (256 each at most)`);

  const channels = opts.sources.map((s) => new Channel(s));
  try {
    await Promise.all(
      channels.map(
        (c) =>
          new Promise<void>((resolve, reject) => {
            c.socket.once('error', reject);
            // Connected: no address to resolve per send, and datagrams from anyone but the target are not ours.
            c.socket.bind({ address: c.source.address, port: 0, exclusive: true }, () =>
              c.socket.connect(opts.port, opts.host, () => {
                c.socket.off('error', reject);
                resolve();
              }),
            );
          }),
      ),
    );
  } catch (e) {
    for (const c of channels) c.socket.close();
    throw new Error(`cannot bind the load generator's sockets: ${e instanceof Error ? e.message : e}`);
  }

  const latencies: number[] = [];
  const r = {
    sent: 0,
    answered: 0,
    accepts: 0,
    rejects: 0,
    responses: 0,
    other: 0,
    bad: 0,
    timeouts: 0,
    stray: 0,
    measuredSent: 0,
    stalls: 0,
    maxLagMs: 0,
  };
  const byKind: LoadReport['byKind'] = {};
  const order: Pending[] = []; // send order = deadline order, since every request has the same timeout
  let orderHead = 0;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  let sendUntil = measureFrom + opts.durationMs;
  void opts.until?.then(() => (sendUntil = Math.max(measureFrom, Math.min(sendUntil, performance.now()))));
  let sending = true;
  let onIdle: (() => void) | null = null;

  const finish = (p: Pending, outcome: Outcome, at: number) => {
    p.done = true;
    const c = channels[p.socket];
    c.slots[p.id] = undefined;
    c.inFlight--;
    if (outcome === 'timeout') c.resting.push({ id: p.id, until: at + QUARANTINE_MS });
    else c.free.push(p.id);
    if (p.measured) {
      const k = (byKind[p.planned.kind] ??= { sent: 0, answered: 0 });
      if (outcome === 'timeout') r.timeouts++;
      else if (outcome === 'bad') r.bad++;
      else {
        r.answered++;
        k.answered++;
        latencies.push(at - p.sentAt);
        if (outcome === 'accept') r.accepts++;
        else if (outcome === 'reject') r.rejects++;
        else if (outcome === 'response') r.responses++;
        else r.other++;
      }
    }
    opts.workload.settle?.(p.socket, p.planned, outcome);
    if (sending && opts.mode.kind === 'closed') refill(p.socket);
    if (!sending && onIdle && channels.every((ch) => ch.inFlight === 0)) onIdle();
  };

  /**
   * One request out on channel `i`; false when it has no free identifier or the workload nothing ready.
   * Open loop: it belongs to the window its schedule puts it in (`due`), however late it really leaves.
   */
  const sendOne = (i: number, due?: number): boolean => {
    const c = channels[i];
    const at = performance.now();
    if (due === undefined && at >= sendUntil) {
      sending = false;
      return false;
    }
    while (c.resting.length && c.resting[0].until <= at) c.free.push(c.resting.shift()!.id);
    if (c.free.length === 0) return false;
    const id = c.free[0];
    const planned = opts.workload.next(i, id);
    if (!planned) return false;
    c.free.shift();
    const p: Pending = { planned, sentAt: performance.now(), measured: (due ?? at) >= measureFrom, done: false, socket: i, id };
    c.slots[id] = p;
    c.inFlight++;
    order.push(p);
    r.sent++;
    if (p.measured) {
      r.measuredSent++;
      (byKind[planned.kind] ??= { sent: 0, answered: 0 }).sent++;
    }
    c.socket.send(planned.packet);
    return true;
  };

  channels.forEach((c) =>
    c.socket.on('message', (msg) => {
      const at = performance.now();
      const p = msg.length >= 20 ? c.slots[msg[1]] : undefined;
      if (!p) {
        r.stray++;
        return;
      }
      const check = checkReply(msg, p.planned.authenticator, c.source.secret);
      if (!check.ok) return finish(p, 'bad', at);
      const outcome: Outcome =
        check.code === Code.AccessAccept
          ? 'accept'
          : check.code === Code.AccessReject
            ? 'reject'
            : check.code === Code.AccountingResponse
              ? 'response'
              : 'other';
      finish(p, outcome, at);
    }),
  );

  // Closed loop: each socket keeps its share of the outstanding requests in flight.
  const share =
    opts.mode.kind === 'closed'
      ? channels.map((_, i) => {
          const n = (opts.mode as { outstanding: number }).outstanding;
          return Math.floor(n / channels.length) + (i < n % channels.length ? 1 : 0);
        })
      : [];
  const refill = (i: number) => {
    while (sending && channels[i].inFlight < share[i]) {
      if (!sendOne(i)) {
        if (sending) r.stalls++;
        break; // retried by the tick
      }
    }
  };

  // The tick: timeouts, the open loop's schedule, closed-loop sockets that stalled.
  let rr = 0;
  let sentOnSchedule = 0;
  const tick = () => {
    const at = performance.now();
    while (orderHead < order.length) {
      const p = order[orderHead];
      if (!p.done && p.sentAt + timeoutMs > at) break;
      orderHead++;
      if (!p.done) finish(p, 'timeout', at);
    }
    // Settled requests leave the array soon: kept there, tens of thousands of them (with their packets) outlived
    // young-generation collections, which copy whatever survives, and this loop's pauses count as the server's
    // latency.
    if (orderHead > 1_024) {
      order.splice(0, orderHead);
      orderHead = 0;
    }
    if (sending && opts.mode.kind === 'open') {
      const interval = 1000 / opts.mode.rate;
      const scheduled = Math.floor((Math.min(at, sendUntil) - t0) / interval);
      while (sentOnSchedule < scheduled) {
        const due = t0 + (sentOnSchedule + 1) * interval;
        let sent = false;
        for (let k = 0; k < channels.length && !sent; k++) {
          sent = sendOne(rr, due);
          rr = (rr + 1) % channels.length;
        }
        if (!sent) {
          r.stalls++;
          break;
        }
        sentOnSchedule++;
        r.maxLagMs = Math.max(r.maxLagMs, at - due);
      }
      if (at >= sendUntil && sentOnSchedule >= scheduled) sending = false;
    } else if (sending) {
      if (at >= sendUntil) sending = false;
      else for (let i = 0; i < channels.length; i++) refill(i);
    }
  };

  // On Linux a priority set for pid 0 is this thread's: the event loop's, where all of the generator runs.
  let restorePriority: number | null = null;
  if (opts.nice !== undefined) {
    try {
      restorePriority = os.getPriority(0);
      os.setPriority(0, opts.nice);
    } catch {
      restorePriority = null;
    }
  }
  try {
    if (opts.mode.kind === 'closed') for (let i = 0; i < channels.length; i++) refill(i);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        tick();
        if (!sending && channels.every((c) => c.inFlight === 0)) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
      onIdle = () => {
        clearInterval(timer);
        resolve();
      };
    });
  } finally {
    for (const c of channels) c.socket.close();
    if (restorePriority !== null) os.setPriority(0, restorePriority);
  }

  const seconds = (sendUntil - measureFrom) / 1000;
  const all = [...latencies].sort((a, b) => a - b);
  const rank = Math.ceil(0.99 * r.measuredSent);
  return {
    mode: opts.mode.kind === 'closed' ? `closed loop, ${opts.mode.outstanding} outstanding` : `open loop, ${opts.mode.rate}/s`,
    offered: opts.mode.kind === 'open' ? opts.mode.rate : null,
    seconds,
    sent: r.measuredSent,
    answered: r.answered,
    accepts: r.accepts,
    rejects: r.rejects,
    responses: r.responses,
    other: r.other,
    bad: r.bad,
    timeouts: r.timeouts,
    stray: r.stray,
    throughput: r.answered / seconds,
    sendRate: r.measuredSent / seconds,
    latency: summarize(latencies),
    p99All: r.measuredSent === 0 ? Number.NaN : rank > all.length ? Infinity : all[Math.max(1, rank) - 1],
    maxLagMs: r.maxLagMs,
    stalls: r.stalls,
    byKind,
    nice: restorePriority === null ? null : (opts.nice ?? null),
  };
}
