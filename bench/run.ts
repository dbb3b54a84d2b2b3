/**
 * `npm run bench [-- --quick]`: the ISP-scale benchmarks of issue 5. Builds its own world in its own
 * embedded PostgreSQL, starts its own panel (from a snapshot of the current build) and its own simulated
 * routers, measures, prints a table, writes bench/results(.quick).json and, for a full run,
 * docs/BENCHMARKS.md. Everything it started is stopped on the way out, also on failure or Ctrl-C.
 * Exit code: 0 when every figure was measured (targets missed or not), 1 when the bench itself broke.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_ENV } from '../src/test/test-env';
import { measureBundle } from './figures/bundle';
import { measureCsvImport } from './figures/csv-import';
import { measureHeartbeat } from './figures/heartbeat';
import { measureList, measureLoad } from './figures/list';
import { measureSessionsList } from './figures/sessions';
import { measureImport, measureOversizeImport, measureSync, setupPoolNas } from './figures/pools';
import { measureStart } from './figures/start';
import { measureTestConnection } from './figures/test-connection';
import { cleanupOnSignals, onCleanup, runCleanup } from './lib/cleanup';
import { benchConfig, BENCH_API_PASSWORD, BENCH_SECRET, RESELLER_EMAIL, RESELLER_PASSWORD } from './lib/config';
import { installQueryCapture } from './lib/capture';
import { reap, startReaper, stopReaper, unreap } from './lib/reaper';
import { signIn } from './lib/http';
import { cpuModel, openFilesLimit, watchOtherProcesses } from './lib/machine';
import { gitHead, makeSnapshot, pickPort, startPanel, type RunningPanel } from './lib/panel';
import { printTable, writeDoc, writeJson, type RunMeta } from './lib/report';
import { failed, type BenchResult } from './lib/result';
import { startSimHost } from './lib/sim';
import { startFreeradiusAnchor, type FreeradiusAnchor } from './radius/anchor';
import { interimLoadFigures, measureReload, measureThroughputFigures, memoryFigure, startInterimLoad } from './radius/our-figures';
import { prepareOurSubscribers, startOurRadius, type OurRadius } from './radius/ours';
import { ownSubscriber, worldNas } from './radius/world-nas';

const root = path.resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
// For working on one figure: --only 1,2 runs just those (4 needs 3), --no-wave skips figures 1′ and 2′.
// A partial run prints its table and writes no results.
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',').map(Number)) : null;
const noWave = process.argv.includes('--no-wave');
const partial = only !== null || noWave;
const log = (s: string) => console.log(`[bench] ${s}`);

/** 1,000 routers plus their client sockets need more descriptors than the usual 1024; raise and re-exec. */
function ensureFileLimit() {
  if (openFilesLimit() >= 8192 || process.env.BENCH_FD_RAISED) return;
  log(`open-files limit ${openFilesLimit()} is too low for 1,000 routers: re-running under ulimit -n 65536`);
  const r = spawnSync(
    'bash',
    [
      '-c',
      'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, BENCH_FD_RAISED: '1' } },
  );
  process.exit(r.status ?? 1);
}

async function main(): Promise<number> {
  ensureFileLimit();
  cleanupOnSignals();
  const started = performance.now();
  const cfg = benchConfig(quick);
  const loadavg: RunMeta['loadavg'] = [];
  const sampleLoad = (when: string) => {
    const [one, five] = os.loadavg();
    loadavg.push({ when, one, five });
  };
  sampleLoad('start');
  let panel: RunningPanel | null = null;
  const others = watchOtherProcesses(() => (panel ? [panel.pid] : []));
  log(`${quick ? 'quick' : 'full'} run on ${os.availableParallelism()} × ${cpuModel()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);

  await startReaper(root);
  onCleanup('reaper', () => stopReaper());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-bench-'));
  fs.chmodSync(tmp, 0o755); // PostgreSQL runs as its own user and must reach its data folders in here
  // --keep leaves the logs, the clone and the fresh-start data behind for a look after the run.
  if (process.argv.includes('--keep')) log(`keeping ${tmp}`);
  else {
    reap({ kind: 'dir', path: tmp });
    onCleanup('temp dir', () => {
      fs.rmSync(tmp, { recursive: true, force: true });
      unreap({ kind: 'dir', path: tmp });
    });
  }

  const clone = makeSnapshot(root, tmp, log);
  const buildId = fs.readFileSync(path.join(clone, '.next/BUILD_ID'), 'utf8').trim();

  const { startEmbeddedPostgres } = await import('../src/server/db/embedded');
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), persistent: false, database: 'nas_bench' });
  // The postmaster is this process's child: killed outright, the bench would leave it running.
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
  const capture = installQueryCapture();
  const { closeDb } = await import('../src/server/db/client');
  onCleanup('database client', () => closeDb());
  const sql = capture.sql;
  const { prepareDatabase } = await import('../src/server/setup/prepare');
  await prepareDatabase();

  const { sealNasSecrets } = await import('../src/server/services/nas/nas-secrets');
  const { hashPassword } = await import('../src/server/auth/password');
  // Each row's own ciphertexts: they are bound to their row.
  const enc = (id: number) => {
    const s = sealNasSecrets(id, { secret: BENCH_SECRET, apiPassword: BENCH_API_PASSWORD });
    return { secret: s.secretEnc!, apiPassword: s.apiPasswordEnc! };
  };

  const port = await pickPort(3400);
  const panelEnv: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG,
    ...TEST_ENV,
    DATABASE_URL: pg.url,
    JOBS_ENABLED: 'false', // the bench drives the jobs itself; the panel's worker must not race it
    RADIUS_ENABLED: 'false', // the RADIUS figures start their own service
    SEED_DEMO: 'false',
  };
  log(`generating the world and starting the panel on 127.0.0.1:${port}`);
  const { generateWorld } = await import('./lib/world');
  const [world, running] = await Promise.all([
    generateWorld(pg.url, cfg.world, enc, log),
    startPanel({ cwd: clone, env: panelEnv, port, logFile: path.join(tmp, 'panel.log'), deadlineMs: 5 * 60_000 }),
  ]);
  panel = running;
  sampleLoad('world ready');
  const base = panel.url;

  const [reseller] = await sql`insert into users (email, name, password_hash, role_id, reseller_id)
    values (${RESELLER_EMAIL}, 'Bench Reseller', ${await hashPassword(RESELLER_PASSWORD)}, (select id from roles where name = 'reseller'), 1) returning id`;
  const [admin] = await sql`select id from users where email = ${TEST_ENV.ADMIN_EMAIL}`;
  const { loadActor } = await import('../src/server/auth/actor');
  const actors = { admin: (await loadActor(admin.id as number))!, reseller: (await loadActor(reseller.id as number))! };
  const cookies = {
    admin: await signIn(base, TEST_ENV.ADMIN_EMAIL, TEST_ENV.ADMIN_PASSWORD),
    reseller: await signIn(base, RESELLER_EMAIL, RESELLER_PASSWORD),
  };
  const sim = await startSimHost(root);

  const results: BenchResult[] = [];
  const figure = async (id: number, name: string, unit: string, targetText: string, fn: () => Promise<BenchResult[]> | BenchResult[]) => {
    if (only && !only.has(id)) return;
    log(`figure ${id}: ${name}`);
    try {
      results.push(...(await fn()));
    } catch (e) {
      log(`figure ${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
      results.push(failed(id, name, unit, targetText, e));
    }
  };
  const listCtx = { base, cookies, actors, sql, capture: capture.capture, log };
  const poolCtx = { sql, sim, enc, log };

  await figure(7, '/nas first-load JavaScript', 'kB', '≤ 200 kB', () => measureBundle(path.join(clone, '.next')));
  await figure(1, 'nas.list over HTTP', 'ms', 'p95 ≤ 50 ms and ≤ 3× floor', () => measureList(listCtx, cfg.listCalls, cfg.world.nas));
  await figure(2, 'nas.list under load', 'ms', 'p99 ≤ 250 ms, 0 errors', () => measureLoad(listCtx, cfg.loadClients, cfg.loadSeconds));
  // A live radacct is never fully VACUUMed: every interim update rewrites the row of an open session, so
  // the pages holding open sessions are not all-visible and the per-NAS count must visit the heap.
  let waved = false;
  const interimWave = async () => {
    const t = performance.now();
    await sql`update radacct set acctupdatetime = now() where acctstoptime is null`;
    waved = true;
    log(`  interim update of every open session: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await figure(1, 'nas.list after an interim-update wave', 'ms', 'p95 ≤ 50 ms and ≤ 3× floor', async () => {
    if (noWave) return [];
    await interimWave();
    return measureList(listCtx, cfg.listCalls, cfg.world.nas, ', after an interim-update wave');
  });
  await figure(2, 'nas.list under load after an interim-update wave', 'ms', 'p99 ≤ 250 ms, 0 errors', () =>
    noWave ? [] : measureLoad(listCtx, cfg.loadClients, cfg.loadSeconds, ', after an interim-update wave'),
  );
  // Issue 13: the Sessions page over the same 200,000 open sessions, in the state interim updates leave them.
  await figure(15, 'sessions.list first pages', 'ms', 'p95 ≤ 50 ms', async () => {
    if (!waved && !noWave) await interimWave();
    return measureSessionsList(listCtx, cfg.listCalls);
  });
  sampleLoad('after list');
  let poolNas: Awaited<ReturnType<typeof setupPoolNas>> | null = null;
  await figure(3, 'pool import of a /16', 'ms', '≤ 2 s and ≤ 3× floor', async () => {
    poolNas = await setupPoolNas(poolCtx);
    return measureImport(poolCtx, poolNas, cfg.importRuns);
  });
  await figure(4, 'Sync of the /16', 'ms', '≤ 3 s', () => {
    if (!poolNas) throw new Error('needs figure 3’s NAS');
    return measureSync(poolCtx, poolNas, cfg.syncSessions, cfg.syncRuns);
  });
  await figure(3, 'pool import: a router announcing 1,000 /16 pools', 'ms', 'refused ≤ 2 s, RSS flat', () =>
    measureOversizeImport(poolCtx, cfg.quick ? 1 : 3),
  );
  await figure(5, 'heartbeat sweep', 'ms', '≤ 15 s', () =>
    measureHeartbeat({ sql, sim, enc, log }, cfg.world.nas, cfg.blackHoleEvery, cfg.heartbeatRuns),
  );
  await figure(6, 'Test Connection', 'ms', '≤ 3.5 s', () =>
    measureTestConnection({ base, cookie: cookies.admin, sql, sim, enc, log }, cfg.testConnBlackHoleRuns, cfg.testConnHealthyRuns),
  );
  await figure(14, 'CSV import of 100,000 subscribers', 's', '≤ 30 s, RSS growth ≤ 200 MB', () =>
    measureCsvImport({ base, cookie: cookies.admin, sql, panelPid: running.pid, log }, 100_000),
  );
  sampleLoad('after jobs');

  // Issue 11 (bench/radius/): our RADIUS service on the world (its subscribers given passwords and a plan,
  // its 1,000 NAS), one process for figures 9, 10, 12 and 13, a second one for 11; FreeRADIUS beside it.
  const radiusEnv = { ...panelEnv, RADIUS_ENABLED: undefined };
  let ours: OurRadius | null = null;
  let oursError: unknown = null;
  if (!only || [9, 10, 11, 12, 13].some((f) => only.has(f))) {
    log("our RADIUS service: sealing the subscribers' passwords, then starting it on the world");
    try {
      await prepareOurSubscribers(pg.url, log);
      ours = await startOurRadius({
        cwd: clone,
        env: radiusEnv,
        nas: worldNas(cfg.world.nas, BENCH_SECRET),
        logFile: path.join(tmp, 'radius-1.log'),
        log,
      });
    } catch (e) {
      oursError = e;
      log(`our RADIUS service did not start: ${e instanceof Error ? e.message : e}`);
    }
  }
  const needOurs = (): OurRadius => {
    if (!ours) throw new Error(`our RADIUS service did not start: ${oursError instanceof Error ? oursError.message : oursError}`);
    return ours;
  };
  const interimState = `, while ${cfg.interimRate} Interim-Updates/s arrive`;
  await figure(12, `figures 1 and 2${interimState}`, 'ms', 'page p95 ≤ 3× floor, 50-client p99 ≤ 250 ms', async () => {
    const load = await startInterimLoad({
      root,
      url: pg.url,
      target: needOurs().target,
      rate: cfg.interimRate,
      secret: BENCH_SECRET,
      worldNas: cfg.world.nas,
      log,
    });
    let during: BenchResult[];
    try {
      during = [
        ...(await measureList(listCtx, cfg.listCalls, cfg.world.nas, interimState)),
        ...(await measureLoad(listCtx, cfg.loadClients, cfg.loadSeconds, interimState)),
      ];
    } catch (e) {
      await load.stop().catch(() => {});
      throw e;
    }
    const report = await load.stop();
    log(
      `  the Interim-Updates meanwhile: ${report.answered} answered in ${report.seconds.toFixed(0)} s (${report.throughput.toFixed(0)}/s), p99 ${report.latency.p99.toFixed(1)} ms, ${report.timeouts} timeouts`,
    );
    const quiet = results.find((r) => r.id === 2 && r.unit === 'ms' && !r.name.includes(','));
    return interimLoadFigures(during, report, cfg.interimRate, load.sessions, quiet?.value ?? null);
  });
  await panel.stop();
  // A 500 the figures did not notice would still be logged by the panel: name it rather than hide it.
  const panelErrors = panel
    .log()
    .split('\n')
    .filter((l) => /error|failed|unhandled/i.test(l));
  if (panelErrors.length) log(`the panel logged ${panelErrors.length} error line(s), first: ${panelErrors.slice(0, 3).join(' | ')}`);
  // Figures 9 and 10 side by side with FreeRADIUS on the same database, driven by the same generator.
  let anchor: FreeradiusAnchor | null = null;
  let freeradiusRss: { rssMb: number } | null = null;
  const methods = { ...cfg.radius, pap: { ...cfg.radius.pap, pick: ownSubscriber(cfg.world.nas, cfg.world.subscribers) } };
  await figure(
    !only || only.has(9) ? 9 : 10,
    'PAP and accounting throughput: ours and FreeRADIUS',
    'req/s',
    '≥ 2× FreeRADIUS',
    async () => {
      anchor = await startFreeradiusAnchor({ url: pg.url, secret: BENCH_SECRET, tmp, log });
      try {
        const rows = await measureThroughputFigures(anchor, needOurs(), methods, cfg.world.nas, log);
        freeradiusRss = anchor.memory();
        return rows;
      } finally {
        await anchor.stop();
      }
    },
  );
  await figure(11, 'a NAS change reaching every RADIUS process', 'ms', 'p99 ≤ 1 s', async () => {
    const first = needOurs();
    const second = await startOurRadius({
      cwd: clone,
      env: radiusEnv,
      nas: first.target.nas,
      logFile: path.join(tmp, 'radius-2.log'),
      log,
      label: 'a second RADIUS process',
    });
    try {
      return await measureReload(pg.url, [first, second], {
        changes: cfg.reloadChanges,
        freeradiusStartSeconds: (anchor as FreeradiusAnchor | null)?.startSeconds ?? null,
        log,
      });
    } finally {
      await second.stop();
    }
  });
  await figure(13, 'memory of one RADIUS process', 'MB', '≤ 400 MB', () =>
    memoryFigure(needOurs(), { subscribers: cfg.world.subscribers, nas: cfg.world.nas }, freeradiusRss),
  );
  if (ours) {
    const problems = (ours as OurRadius)
      .log()
      .split('\n')
      .filter((l) => /failed|could not|error/i.test(l));
    if (problems.length) log(`our RADIUS service logged ${problems.length} problem line(s), first: ${problems.slice(0, 3).join(' | ')}`);
    await (ours as OurRadius).stop();
  }
  sampleLoad('after RADIUS');
  await figure(8, 'fresh start', 'ms', 'reported', async () => measureStart(clone, tmp, await pickPort(3401), cfg.startRuns, log));
  sampleLoad('end');

  results.sort((a, b) => a.id - b.id);
  const [{ version }] = await sql`select current_setting('server_version') as version`;
  const meta: RunMeta = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    quick,
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: `Node ${process.version}`,
    postgres: `PostgreSQL ${version}`,
    gitHead: gitHead(root),
    buildId,
    loadavg,
    worldSeconds: world.seconds,
    world: world.counts,
    totalSeconds: (performance.now() - started) / 1000,
    otherHeavyProcesses: others.report(),
    panelErrorLines: panelErrors.length,
  };
  console.log('');
  printTable(results);
  const jsonFile = path.join(root, quick ? 'bench/results.quick.json' : 'bench/results.json');
  if (!partial) {
    writeJson(jsonFile, results);
    log(`wrote ${path.relative(root, jsonFile)}`);
  }
  if (!quick && !partial) {
    writeDoc(path.join(root, 'docs/BENCHMARKS.md'), results, meta);
    log('wrote docs/BENCHMARKS.md');
  }
  log(
    `done in ${meta.totalSeconds.toFixed(0)} s${meta.otherHeavyProcesses.length ? `; other processes busy meanwhile: ${meta.otherHeavyProcesses.join(', ')}` : ''}`,
  );
  const broken = results.filter((r) => r.error);
  if (broken.length) log(`${broken.length} figure(s) could not be measured: the bench itself is broken`);
  return broken.length ? 1 : 0;
}

main()
  .then(async (code) => {
    await runCleanup();
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
    await runCleanup();
    process.exit(1);
  });
