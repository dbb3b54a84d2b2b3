/**
 * Issue 11's figures 9 and 10 for FreeRADIUS, the anchor: its PAP throughput at p99 ≤ 20 ms and its
 * accounting throughput, measured with measure.ts's methods. Our own service is measured by the same
 * functions against its own target; its rows and the "≥ 2×" comparison are added beside these.
 */
import { result, type BenchResult } from '../lib/result';
import { round } from '../lib/stats';
import type { FreeradiusAnchor } from './anchor';
import { measureAccounting, measureGeneratorCeiling, measurePap, type AccountingMethod, type PapMethod } from './measure';

export async function measureFreeradiusFigures(
  anchor: FreeradiusAnchor,
  methods: { pap: PapMethod; accounting: AccountingMethod },
  log: (s: string) => void,
): Promise<BenchResult[]> {
  const who = `${anchor.version} (rlm_sql, PostgreSQL)`;
  const setup = {
    threads: anchor.threads,
    maxRequests: anchor.maxRequests,
    nas: anchor.data.nas,
    radcheck: anchor.data.radcheck,
    radacct: anchor.data.radacct,
  };
  const out: BenchResult[] = [];
  const ceiling = await measureGeneratorCeiling(anchor.target.nas, methods.pap);
  log(
    `  generator ceiling (closed loop 64 against an in-process responder): ${ceiling.throughput.toFixed(0)}/s, p99 ${ceiling.latency.p99.toFixed(1)} ms`,
  );
  const pap = await measurePap(anchor.target, methods.pap, log);
  const b = pap.best;
  out.push(
    result({
      id: 9,
      name: `PAP Access-Request throughput at p99 ≤ ${methods.pap.p99LimitMs} ms: ${who}`,
      value: round(pap.throughput, 0),
      unit: 'req/s',
      targetText: 'reported: the anchor (our service ≥ 2× this)',
      detail: {
        offeredRate: pap.rate,
        p50: b ? round(b.latency.p50, 2) : null,
        p95: b ? round(b.latency.p95, 2) : null,
        p99: b ? round(b.p99All, 2) : null,
        max: b ? round(b.latency.max, 1) : null,
        closedLoop64: { throughput: round(pap.probe.throughput, 0), p99: round(pap.probe.latency.p99, 2) },
        generatorCeiling: { throughput: round(ceiling.throughput, 0), p99: round(ceiling.latency.p99, 2), nice: ceiling.nice },
        steps: pap.steps.map((s) => ({
          ...s,
          throughput: round(s.throughput, 0),
          p50: round(s.p50, 2),
          p99: round(s.p99, 2),
          p99All: round(s.p99All, 2),
          maxLagMs: round(s.maxLagMs, 0),
        })),
        method: methods.pap,
        ...setup,
      },
    }),
  );
  const acct = await measureAccounting(anchor.target, methods.accounting, log);
  const mem = anchor.memory();
  out.push(
    result({
      id: 10,
      name: `accounting throughput (Start/Interim/Stop 1:${methods.accounting.interims}:1, committed before the reply): ${who}`,
      value: round(acct.throughput, 0),
      unit: 'req/s',
      targetText: 'reported: the anchor (our service ≥ 2× this)',
      detail: {
        p50: round(acct.latency.p50, 2),
        p95: round(acct.latency.p95, 2),
        p99: round(acct.latency.p99, 2),
        max: round(acct.latency.max, 1),
        timeouts: acct.timeouts,
        byKind: acct.byKind,
        method: methods.accounting,
        freeradiusRssMb: round(mem.rssMb, 1),
        freeradiusPeakRssMb: round(mem.hwmMb, 1),
        ...setup,
      },
    }),
  );
  return out;
}
