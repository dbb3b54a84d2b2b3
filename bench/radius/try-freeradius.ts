/**
 * `npx tsx bench/radius/try-freeradius.ts [--subscribers 10000] [--nas 100] [--full-steps]`: just the
 * FreeRADIUS side of issue 11's benchmarks. Builds a small world in its own embedded PostgreSQL, starts
 * FreeRADIUS on it, measures the generator's own ceiling (measureGeneratorCeiling), then
 * FreeRADIUS's PAP throughput at p99 ≤ 20 ms and its accounting throughput. Everything is stopped and
 * removed on the way out, also on failure or Ctrl-C.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_ENV } from '../../src/test/test-env';
import { cleanupOnSignals, onCleanup, runCleanup } from '../lib/cleanup';
import { BENCH_API_PASSWORD, BENCH_SECRET, type WorldSize } from '../lib/config';
import { reap, startReaper, stopReaper, unreap } from '../lib/reaper';
import { startFreeradiusAnchor } from './anchor';
import { DEFAULT_ACCOUNTING, DEFAULT_PAP, measureAccounting, measureGeneratorCeiling, measurePap } from './measure';

const root = path.resolve(import.meta.dirname, '../..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const log = (s: string) => console.log(`[radius] ${s}`);

async function main() {
  cleanupOnSignals();
  const nas = arg('nas', 100);
  const subscribers = arg('subscribers', 10_000);
  const full = process.argv.includes('--full-steps');
  const world: WorldSize = {
    nas,
    mikrotik: Math.floor(nas / 2),
    resellers: Math.max(1, Math.ceil(nas / 20)),
    nasPerReseller: 20,
    subscribers,
    radacct: subscribers * 4,
    openSessions: Math.floor(subscribers * 0.4), // 200,000 of 500,000, as in the bench world
    poolPerNas: 200,
  };
  await startReaper(root);
  onCleanup('reaper', () => stopReaper());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-radius-'));
  fs.chmodSync(tmp, 0o755); // PostgreSQL runs as its own user and must reach its data folder in here
  reap({ kind: 'dir', path: tmp });
  onCleanup('temp dir', () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    unreap({ kind: 'dir', path: tmp });
  });

  const { startEmbeddedPostgres } = await import('../../src/server/db/embedded');
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), persistent: false, database: 'nas_bench' });
  const postmaster = {
    kind: 'pid',
    id: Number(fs.readFileSync(path.join(tmp, 'pg/postmaster.pid'), 'utf8').split('\n')[0]),
    signal: 'SIGINT',
  } as const;
  reap(postmaster);
  onCleanup('PostgreSQL', async () => {
    await pg.stop();
    unreap(postmaster);
  });
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: pg.url, JOBS_ENABLED: 'false' });
  const { prepareDatabase } = await import('../../src/server/setup/prepare');
  const { closeDb } = await import('../../src/server/db/client');
  onCleanup('database client', () => closeDb());
  await prepareDatabase();
  const { sealNasSecrets } = await import('../../src/server/services/nas/nas-secrets');
  const enc = (id: number) => {
    const s = sealNasSecrets(id, { secret: BENCH_SECRET, apiPassword: BENCH_API_PASSWORD });
    return { secret: s.secretEnc!, apiPassword: s.apiPasswordEnc! };
  };
  const { generateWorld } = await import('../lib/world');
  await generateWorld(pg.url, world, enc, log);

  const anchor = await startFreeradiusAnchor({ url: pg.url, secret: BENCH_SECRET, tmp, log });
  const pap = { ...DEFAULT_PAP, subscribers, ...(full ? {} : { stepMs: 3_000, warmupMs: 500 }) };
  const accounting = { ...DEFAULT_ACCOUNTING, subscribers, ...(full ? {} : { durationMs: 10_000, warmupMs: 2_000 }) };

  const ceiling = await measureGeneratorCeiling(anchor.target.nas, pap);
  log(
    `generator ceiling (PAP, closed loop 64, in-process responder): ${ceiling.throughput.toFixed(0)}/s, p99 ${ceiling.latency.p99.toFixed(2)} ms`,
  );

  const papFigure = await measurePap(anchor.target, pap, log);
  const acct = await measureAccounting(anchor.target, accounting, log);
  const mem = anchor.memory();
  const b = papFigure.best;
  console.log('');
  console.log(
    `${anchor.version}, ${nas} NAS, ${subscribers.toLocaleString('en')} subscribers, ${anchor.data.radacct.toLocaleString('en')} radacct rows`,
  );
  console.log(
    `  PAP at p99 ≤ ${pap.p99LimitMs} ms: ${papFigure.throughput.toFixed(0)} req/s (offered ${papFigure.rate}/s; p50 ${b?.latency.p50.toFixed(2)} ms, p95 ${b?.latency.p95.toFixed(2)} ms, p99 ${b?.p99All.toFixed(2)} ms); closed loop 64: ${papFigure.probe.throughput.toFixed(0)} req/s at p99 ${papFigure.probe.latency.p99.toFixed(1)} ms`,
  );
  console.log(
    `  accounting (1:${accounting.interims}:1, ${accounting.outstanding} outstanding): ${acct.throughput.toFixed(0)} req/s, p50 ${acct.latency.p50.toFixed(1)} ms, p99 ${acct.latency.p99.toFixed(1)} ms, ${acct.timeouts} timeouts`,
  );
  const problems = anchor.problems();
  if (problems.length) console.log(`  FreeRADIUS logged ${problems.length} warning(s)/error(s), last: ${problems.slice(-5).join(' | ')}`);
  console.log(
    `  FreeRADIUS RSS ${mem.rssMb.toFixed(1)} MB (peak ${mem.hwmMb.toFixed(1)} MB); generator ceiling ${ceiling.throughput.toFixed(0)} req/s`,
  );
}

main()
  .then(async () => {
    await runCleanup();
    process.exit(0);
  })
  .catch(async (e) => {
    console.error(`[radius] failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
    await runCleanup();
    process.exit(1);
  });
