/**
 * Issue 11's figures for our RADIUS service, each beside the alternative measured in the same run:
 *  9, 10  PAP and accounting throughput, ours and FreeRADIUS's, measured alternately with the same methods;
 *  11     a NAS created or its secret changed → answered by every RADIUS process (FreeRADIUS: a restart);
 *  12     figures 1 and 2 while the fleet's Interim-Updates arrive (driven from another process);
 *  13     the memory of one RADIUS process holding the world's subscribers and NAS.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import postgres from 'postgres';
import { result, type BenchResult } from '../lib/result';
import { round, summarize } from '../lib/stats';
import type { FreeradiusAnchor } from './anchor';
import type { LoadReport } from './load';
import { measureAccounting, measureGeneratorCeiling, measurePap, type AccountingMethod, type PapMethod, type PapFigure } from './measure';
import type { OurRadius } from './ours';
import { accessRequest, Attr, checkReply, str } from './packet';
import { worldNasNumber } from './world-nas';

type Log = (s: string) => void;

const papDetail = (pap: PapFigure) => {
  const b = pap.best;
  return {
    offeredRate: pap.rate,
    p50: b ? round(b.latency.p50, 2) : null,
    p95: b ? round(b.latency.p95, 2) : null,
    p99: b ? round(b.p99All, 2) : null,
    max: b ? round(b.latency.max, 1) : null,
    closedLoop64: { throughput: round(pap.probe.throughput, 0), p99: round(pap.probe.latency.p99, 2) },
    steps: pap.steps.map((s) => ({
      ...s,
      throughput: round(s.throughput, 0),
      p50: round(s.p50, 2),
      p99: round(s.p99, 2),
      p99All: round(s.p99All, 2),
      maxLagMs: round(s.maxLagMs, 0),
    })),
  };
};

const acctDetail = (r: LoadReport) => ({
  p50: round(r.latency.p50, 2),
  p95: round(r.latency.p95, 2),
  p99: round(r.latency.p99, 2),
  max: round(r.latency.max, 1),
  timeouts: r.timeouts,
  byKind: r.byKind,
});

/**
 * Figures 9 and 10, alternating the two servers (FreeRADIUS, ours for PAP; ours, FreeRADIUS for accounting)
 * so that a machine that drifts during the run weighs on both. The same NAS, subscribers and requests.
 */
export async function measureThroughputFigures(
  anchor: FreeradiusAnchor,
  ours: OurRadius,
  methods: { pap: PapMethod; accounting: AccountingMethod },
  worldNas: number,
  log: Log,
): Promise<BenchResult[]> {
  // The NAS both know: FreeRADIUS's client list holds the world's active NAS, and those other figures added
  // (which own no subscribers: the PAP workload asks each NAS for its own). Both servers get the world's.
  const nas = anchor.target.nas.filter((n) => {
    const k = worldNasNumber(n.address);
    return k >= 1 && k <= worldNas;
  });
  const frTarget = { ...anchor.target, nas };
  const oursTarget = { ...ours.target, nas };
  const fr = anchor.version;
  const setup = {
    nas: anchor.data.nas,
    subscribers: anchor.data.radcheck,
    radacct: anchor.data.radacct,
    freeradius: { threads: anchor.threads, maxRequests: anchor.maxRequests, sql: 'rlm_sql_postgresql, stock queries.conf' },
  };
  const ceiling = await measureGeneratorCeiling(nas, methods.pap);
  log(`  generator ceiling (closed loop 64 against an in-process responder): ${ceiling.throughput.toFixed(0)}/s`);
  const frPap = await measurePap(frTarget, methods.pap, log);
  const ourPap = await measurePap(oursTarget, methods.pap, log);
  const ourAcct = await measureAccounting(oursTarget, methods.accounting, log);
  const frAcct = await measureAccounting(frTarget, methods.accounting, log);
  const frMem = anchor.memory();

  const papName = `PAP Access-Request throughput at p99 ≤ ${methods.pap.p99LimitMs} ms`;
  const acctName = `accounting throughput (Start/Interim/Stop 1:${methods.accounting.interims}:1, committed before the reply)`;
  const versus = (ours: number, theirs: number) => ({
    floor: round(theirs, 0),
    target: round(2 * theirs, 0),
    pass: theirs > 0 && ours >= 2 * theirs,
    floorText: `${fr} in the same run`,
  });
  return [
    result({
      id: 9,
      name: `${papName}: ${fr} (rlm_sql, PostgreSQL)`,
      value: round(frPap.throughput, 0),
      unit: 'req/s',
      targetText: 'reported: the anchor',
      detail: {
        ...papDetail(frPap),
        generatorCeiling: { throughput: round(ceiling.throughput, 0), p99: round(ceiling.latency.p99, 2) },
        method: { ...methods.pap, pick: 'a subscriber of the asking NAS' },
        ...setup,
      },
    }),
    result({
      id: 9,
      name: `${papName}: NAS Panel RADIUS`,
      value: round(ourPap.throughput, 0),
      unit: 'req/s',
      targetText: `≥ 2× ${fr}'s`,
      ...versus(ourPap.throughput, frPap.throughput),
      detail: { ...papDetail(ourPap), loaded: ours.loadedLine },
    }),
    result({
      id: 10,
      name: `${acctName}: ${fr} (rlm_sql, PostgreSQL)`,
      value: round(frAcct.throughput, 0),
      unit: 'req/s',
      targetText: 'reported: the anchor',
      detail: {
        ...acctDetail(frAcct),
        method: methods.accounting,
        freeradiusRssMb: round(frMem.rssMb, 1),
        freeradiusPeakRssMb: round(frMem.hwmMb, 1),
      },
    }),
    result({
      id: 10,
      name: `${acctName}: NAS Panel RADIUS`,
      value: round(ourAcct.throughput, 0),
      unit: 'req/s',
      targetText: `≥ 2× ${fr}'s`,
      ...versus(ourAcct.throughput, frAcct.throughput),
      detail: acctDetail(ourAcct),
    }),
  ];
}

/**
 * Figure 11: how long after its commit a new NAS, or a NAS's new secret, is answered by every RADIUS process
 * running. Each change is made in SQL (the panel's procedures commit the same rows); then each process is
 * asked from the NAS's address every 5 ms until a reply verifies with the new secret.
 */
export async function measureReload(
  url: string,
  processes: readonly OurRadius[],
  opts: { changes: number; freeradiusStartSeconds: number | null; log: Log },
): Promise<BenchResult[]> {
  const { sealNasSecrets } = await import('../../src/server/services/nas/nas-secrets');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const creates: number[] = [];
  const secretChanges: number[] = [];
  const ids: number[] = [];
  try {
    for (let i = 0; i < opts.changes; i++) {
      // 127.0.106.x: away from the world's NAS (127.0.100-103.x) and the figures' routers (127.0.104.x).
      const address = `127.0.106.${i + 1}`;
      const [{ id }] = await sql`select nextval(pg_get_serial_sequence('nas_devices', 'id'))::int as id`;
      ids.push(id);
      const first = `reload-a-${i}`;
      const sealed = sealNasSecrets(id, { secret: first, apiPassword: '' });
      await sql`insert into nas_devices (id, name, ip_address, type, secret_enc)
        values (${id}, ${`reload-${i}`}, ${address}, 'generic', ${sealed.secretEnc!})`;
      creates.push(await answeredBy(processes, address, first));
      const second = `reload-b-${i}`;
      await sql`update nas_devices set secret_enc = ${sealNasSecrets(id, { secret: second, apiPassword: '' }).secretEnc!} where id = ${id}`;
      secretChanges.push(await answeredBy(processes, address, second));
    }
  } finally {
    if (ids.length) await sql`delete from nas_devices where id = any(${ids}::int[])`.catch(() => {});
    await sql.end({ timeout: 5 });
  }
  const all = summarize([...creates, ...secretChanges]);
  const c = summarize(creates);
  const s = summarize(secretChanges);
  opts.log(
    `  ${opts.changes} creates and ${opts.changes} secret changes, answered by all ${processes.length} processes: p50 ${all.p50.toFixed(0)} / p99 ${all.p99.toFixed(0)} / max ${all.max.toFixed(0)} ms`,
  );
  return [
    result({
      id: 11,
      name: `a NAS created or its secret changed → answered by each of ${processes.length} RADIUS processes: p99`,
      value: round(all.p99, 0),
      unit: 'ms',
      target: 1000,
      pass: all.p99 <= 1000,
      targetText: 'p99 ≤ 1 s (FreeRADIUS: a restart)',
      detail: {
        samples: all.n,
        p50: round(all.p50, 0),
        max: round(all.max, 0),
        create: { p50: round(c.p50, 0), p99: round(c.p99, 0) },
        secretChange: { p50: round(s.p50, 0), p99: round(s.p99, 0) },
        pollEveryMs: 5,
        freeradius: opts.freeradiusStartSeconds
          ? `reads its clients only at start: its start in this run took ${opts.freeradiusStartSeconds.toFixed(1)} s, during which nothing is answered`
          : 'reads its clients only at start (not started in this run)',
      },
    }),
  ];
}

/** Milliseconds until every process answered `address` with a reply that verifies with `secret`. */
async function answeredBy(processes: readonly OurRadius[], address: string, secret: string): Promise<number> {
  const t0 = performance.now();
  const times = await Promise.all(processes.map((p) => pollUntilAnswered(p.target.host, p.target.authPort, address, secret, t0)));
  return Math.max(...times);
}

function pollUntilAnswered(host: string, port: number, address: string, secret: string, t0: number, deadlineMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const sent = new Map<number, Buffer>();
    let id = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (err: Error | null, ms = 0) => {
      clearInterval(timer);
      socket.close();
      if (err) reject(err);
      else resolve(ms);
    };
    socket.on('message', (msg) => {
      const auth = sent.get(msg[1]);
      if (auth && checkReply(msg, auth, secret).ok) done(null, performance.now() - t0);
    });
    socket.on('error', (e) => done(e));
    socket.bind(0, address, () => {
      const ask = () => {
        if (performance.now() - t0 > deadlineMs)
          return done(new Error(`${address} not answered with its new secret within ${deadlineMs} ms`));
        id = (id + 1) & 255;
        const r = accessRequest({ id, secret, password: 'reload-probe', attrs: [str(Attr.UserName, 'reload-probe')] });
        sent.set(id, r.authenticator);
        socket.send(r.packet, port, host);
      };
      ask();
      timer = setInterval(ask, 5);
    });
  });
}

/** Figure 12's background load: interim-load.ts in a process of its own, until stopped. */
export async function startInterimLoad(opts: {
  root: string;
  url: string;
  target: { host: string; acctPort: number };
  rate: number;
  secret: string;
  worldNas: number;
  log: Log;
}): Promise<{ sessions: number; nas: number; stop(): Promise<LoadReport> }> {
  const args = {
    worldNas: opts.worldNas,
    url: opts.url,
    host: opts.target.host,
    port: opts.target.acctPort,
    rate: opts.rate,
    secret: opts.secret,
    timeoutMs: 5_000,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(opts.root, 'bench/radius/interim-load.ts'), JSON.stringify(args)], {
    cwd: opts.root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
  const ready = await Promise.race([
    (async () => {
      while (!/^ready /m.test(out)) await new Promise((r) => setTimeout(r, 50));
      return true;
    })(),
    exited.then(() => false),
  ]);
  if (!ready) throw new Error(`the interim load did not start: ${err.slice(-1500)}`);
  const [, sessions, nas] = /^ready (\d+) (\d+)/m.exec(out)!.map(Number);
  opts.log(
    `  ${opts.rate} Interim-Updates/s from ${nas} NAS over their ${sessions.toLocaleString('en')} open sessions (a process of its own)`,
  );
  return {
    sessions,
    nas,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      const line = /^report (.*)$/m.exec(out);
      if (code !== 0 || !line) throw new Error(`the interim load ended with ${code}: ${err.slice(-1500)}`);
      return JSON.parse(line[1]) as LoadReport;
    },
  };
}

/** Figure 12's rows: figures 1 and 2 measured during the interim load, then the load's own figures. */
export function interimLoadFigures(
  during: BenchResult[],
  load: LoadReport,
  rate: number,
  sessions: number,
  /** Figure 2's p99 in the same run, without the interim load: what the load adds. */
  quietP99: number | null,
): BenchResult[] {
  const rows = during.map((r): BenchResult => {
    if (r.id === 1 && r.floor !== null && r.value !== null) {
      return { ...r, id: 12, pass: r.value <= 3 * r.floor, target: round(3 * r.floor, 2), targetText: 'p95 ≤ 3× floor' };
    }
    if (r.id === 2 && r.unit === 'ms' && quietP99 !== null && r.value !== null) {
      return {
        ...r,
        id: 12,
        floor: quietP99,
        ratio: round(r.value / quietP99, 2),
        floorText: 'figure 2 in this run, without the interim load',
      };
    }
    return { ...r, id: 12 };
  });
  rows.push(
    result({
      id: 12,
      name: `the Interim-Updates meanwhile: answered per second (${rate}/s offered, ${sessions.toLocaleString('en')} open sessions)`,
      value: round(load.throughput, 0),
      unit: 'req/s',
      target: round(rate * 0.99, 0),
      pass: load.timeouts === 0 && load.bad === 0 && load.throughput >= rate * 0.99,
      targetText: 'all answered (committed), none lost',
      detail: {
        seconds: round(load.seconds, 1),
        sent: load.sent,
        answered: load.answered,
        timeouts: load.timeouts,
        bad: load.bad,
        p50: round(load.latency.p50, 2),
        p99: round(load.latency.p99, 2),
        max: round(load.latency.max, 1),
        generatorMaxLagMs: round(load.maxLagMs, 0),
      },
    }),
  );
  return rows;
}

/** Figure 13: one RADIUS process with the world loaded and every figure's load behind it. */
export function memoryFigure(
  ours: OurRadius,
  world: { subscribers: number; nas: number },
  freeradius: { rssMb: number } | null,
): BenchResult[] {
  const m = ours.memory();
  return [
    result({
      id: 13,
      name: `peak RSS of one RADIUS process with ${world.subscribers.toLocaleString('en')} subscribers and ${world.nas.toLocaleString('en')} NAS`,
      value: round(m.hwmMb, 0),
      unit: 'MB',
      target: 400,
      pass: m.hwmMb <= 400,
      targetText: '≤ 400 MB',
      detail: {
        rssNowMb: round(m.rssMb, 0),
        loaded: ours.loadedLine,
        startSeconds: round(ours.startSeconds, 1),
        after: 'figures 9, 10, 11 and 12',
        freeradiusRssMb: freeradius ? round(freeradius.rssMb, 0) : null,
      },
    }),
  ];
}
