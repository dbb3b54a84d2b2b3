/**
 * The RADIUS figures of issue 11, as functions of a target (any RADIUS server: FreeRADIUS, our service),
 * so both are measured the same way with the same generator in the same run.
 *
 * PAP (figure 9): the highest open-loop rate whose p99 stays within the limit. A closed-loop probe gives a
 * first estimate; open-loop steps start at half of it, grow by 25 % while they pass and bisect once one
 * fails, down to a 5 % gap; the lowest miss is then tried once more, and the search goes on upwards if it
 * passes. A step passes when 99 % of its requests got a verified reply within the limit (a timeout counts
 * as infinitely slow); a failing step is run a second time before it counts as a miss, since this machine
 * is shared. The figure is the replies per second of the highest passing step.
 *
 * Accounting (figure 10): closed loop at a fixed number of outstanding requests, sessions going Start →
 * Interim-Updates → Stop; a reply means committed (both servers answer after the write returns).
 */
import { runLoad, type LoadReport } from './load';
import { startResponder } from './responder';
import { subscriberPassword } from './subscribers';
import { accountingWorkload, papWorkload, type NasEndpoint } from './workloads';

export interface RadiusTarget {
  /** e.g. "FreeRADIUS 3.2.1" or "NAS Panel RADIUS". */
  label: string;
  host: string;
  authPort: number;
  acctPort: number;
  /** The NAS it knows (address, secret, identity); the generator speaks for `sockets` of them, evenly spread. */
  nas: readonly NasEndpoint[];
}

export interface PapMethod {
  /** Subscribers 1..n exist on the target with subscriberPassword(name). */
  subscribers: number;
  sockets: number;
  p99LimitMs: number;
  /** Measured time of each step, after `warmupMs`. */
  stepMs: number;
  warmupMs: number;
  maxSteps: number;
  timeoutMs: number;
  /** Pause between steps, so that the server finishes what an overloaded step left queued (default 1 s). */
  settleMs?: number;
  /** The generator's niceness while it runs (see LoadOptions.nice). */
  nice?: number;
  /** Which subscriber a NAS asks for (workloads.ts papWorkload's `pick`); default: any. */
  pick?: (nas: NasEndpoint, random: number) => number;
}

export interface PapFigure {
  target: string;
  /** Verified replies per second at the best passing rate (0 when none passed). */
  throughput: number;
  rate: number;
  best: LoadReport | null;
  probe: LoadReport;
  steps: {
    rate: number;
    pass: boolean;
    throughput: number;
    p50: number;
    p99: number;
    p99All: number;
    timeouts: number;
    maxLagMs: number;
  }[];
}

export interface AccountingMethod {
  subscribers: number;
  sockets: number;
  outstanding: number;
  durationMs: number;
  warmupMs: number;
  /** Interim-Updates per session between its Start and its Stop: the mix is 1 : interims : 1. */
  interims: number;
  timeoutMs: number;
  nice?: number;
}

export const DEFAULT_PAP: PapMethod = {
  subscribers: 500_000,
  sockets: 50,
  p99LimitMs: 20,
  stepMs: 5_000,
  warmupMs: 1_000,
  maxSteps: 12,
  timeoutMs: 2_000,
  nice: -10,
};

export const DEFAULT_ACCOUNTING: AccountingMethod = {
  subscribers: 500_000,
  sockets: 50,
  outstanding: 256,
  durationMs: 20_000,
  warmupMs: 3_000,
  interims: 3,
  timeoutMs: 5_000,
  nice: -10,
};

/** `n` NAS spread evenly over the target's list (one socket each). */
export function pickNas(nas: readonly NasEndpoint[], n: number): NasEndpoint[] {
  if (nas.length === 0) throw new Error('the target knows no NAS');
  const k = Math.min(n, nas.length);
  return Array.from({ length: k }, (_, i) => nas[Math.floor((i * nas.length) / k)]);
}

/** A target that rejects valid users or signs replies wrongly is broken, not slow: say so instead of measuring. */
function assertSane(target: RadiusTarget, r: LoadReport, what: string) {
  if (r.rejects > 0 || r.bad > 0 || r.other > 0)
    throw new Error(
      `${target.label}, ${what}: ${r.rejects} Access-Rejects, ${r.bad} replies that did not verify, ${r.other} unexpected codes for valid requests`,
    );
  if (r.answered === 0)
    throw new Error(`${target.label}, ${what}: no reply at all (${r.timeouts} timeouts): is it listening and does it know the NAS?`);
}

export async function measurePap(target: RadiusTarget, method: PapMethod, log: (s: string) => void = () => {}): Promise<PapFigure> {
  const nas = pickNas(target.nas, method.sockets);
  let seed = 1;
  const run = (mode: { kind: 'closed'; outstanding: number } | { kind: 'open'; rate: number }) =>
    runLoad({
      host: target.host,
      port: target.authPort,
      sources: nas,
      workload: papWorkload(nas, { subscribers: method.subscribers, seed: seed++, pick: method.pick }),
      mode,
      durationMs: method.stepMs,
      warmupMs: method.warmupMs,
      timeoutMs: method.timeoutMs,
      nice: method.nice,
    });
  const probe = await run({ kind: 'closed', outstanding: Math.min(64, nas.length * 256) });
  assertSane(target, probe, 'PAP probe');
  log(
    `  ${target.label} PAP probe (closed loop, 64 outstanding): ${probe.throughput.toFixed(0)}/s, p99 ${probe.latency.p99.toFixed(1)} ms`,
  );

  const steps: PapFigure['steps'] = [];
  let best: LoadReport | null = null;
  let lo = 0;
  let hi = Infinity;
  // A miss is final only once its rate was tried again after the search closed in on it: on a shared
  // machine a burst of someone else's work can fail a step early and cap every step after it.
  const rechecked = new Set<number>();
  let rate = Math.max(50, Math.round((probe.throughput * 0.5) / 50) * 50);
  for (let i = 0; i < method.maxSteps; i++) {
    await sleep(method.settleMs ?? 1_000);
    let r = await run({ kind: 'open', rate });
    assertSane(target, r, `PAP at ${rate}/s`);
    let pass = r.p99All <= method.p99LimitMs;
    if (!pass) {
      await sleep(method.settleMs ?? 1_000);
      const again = await run({ kind: 'open', rate });
      assertSane(target, again, `PAP at ${rate}/s`);
      if (again.p99All <= method.p99LimitMs) [r, pass] = [again, true];
    }
    steps.push({
      rate,
      pass,
      throughput: r.throughput,
      p50: r.latency.p50,
      p99: r.latency.p99,
      p99All: r.p99All,
      timeouts: r.timeouts,
      maxLagMs: r.maxLagMs,
    });
    log(
      `  ${target.label} PAP at ${rate}/s: ${pass ? 'pass' : 'miss'}, ${r.throughput.toFixed(0)} replies/s, p50 ${r.latency.p50.toFixed(1)} ms, p99 ${fmt(r.p99All)} ms, ${r.timeouts} timeouts, generator lag ≤ ${r.maxLagMs.toFixed(0)} ms`,
    );
    // Each step lies between the best pass and the lowest miss, so a pass is always the best so far.
    if (pass) [lo, best, hi] = [rate, r, rate >= hi ? Infinity : hi];
    else hi = rate;
    const bisect = Math.max(50, Math.round((hi === Infinity ? rate * 1.25 : (lo + hi) / 2) / 10) * 10);
    if (bisect > lo && bisect < hi && hi / Math.max(lo, 1) > 1.05) rate = bisect;
    else if (lo > 0 && !rechecked.has(hi)) {
      rechecked.add(hi);
      rate = hi;
    } else break;
  }
  return { target: target.label, throughput: best?.throughput ?? 0, rate: lo, best, probe, steps };
}

export async function measureAccounting(
  target: RadiusTarget,
  method: AccountingMethod,
  log: (s: string) => void = () => {},
): Promise<LoadReport> {
  const nas = pickNas(target.nas, method.sockets);
  const r = await runLoad({
    host: target.host,
    port: target.acctPort,
    sources: nas,
    // A few sessions per outstanding request: each cycles Start → … → Stop within seconds, so the warm-up
    // reaches the steady 1 : interims : 1 mix.
    workload: accountingWorkload(nas, {
      subscribers: method.subscribers,
      sessionsPerNas: 4 * Math.ceil(method.outstanding / nas.length),
      interims: method.interims,
    }),
    mode: { kind: 'closed', outstanding: method.outstanding },
    durationMs: method.durationMs,
    warmupMs: method.warmupMs,
    timeoutMs: method.timeoutMs,
    nice: method.nice,
  });
  assertSane(target, r, 'accounting');
  const k = r.byKind;
  log(
    `  ${target.label} accounting (closed loop, ${method.outstanding} outstanding): ${r.throughput.toFixed(0)}/s ` +
      `(start ${k.start?.answered ?? 0}, interim ${k.interim?.answered ?? 0}, stop ${k.stop?.answered ?? 0}), ` +
      `p50 ${r.latency.p50.toFixed(1)} ms, p99 ${r.latency.p99.toFixed(1)} ms, ${r.timeouts} timeouts`,
  );
  return r;
}

/**
 * The generator's own ceiling right now: the same sockets and requests (closed loop, 64 outstanding)
 * against a responder in this process that only verifies and signs. On a shared machine it moves with
 * everyone else's load, so it is measured in the same run as the figures it qualifies.
 */
export async function measureGeneratorCeiling(nasList: readonly NasEndpoint[], method: PapMethod): Promise<LoadReport> {
  const nas = pickNas(nasList, method.sockets);
  const responder = await startResponder({
    host: '127.0.0.1',
    clients: new Map(nas.map((n) => [n.address, n.secret])),
    password: subscriberPassword,
  });
  try {
    return await runLoad({
      host: '127.0.0.1',
      port: responder.port,
      sources: nas,
      workload: papWorkload(nas, { subscribers: method.subscribers }),
      mode: { kind: 'closed', outstanding: 64 },
      durationMs: 3_000,
      warmupMs: 500,
      nice: method.nice,
    });
  } finally {
    await responder.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '∞');
