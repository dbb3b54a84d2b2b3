import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { freePort } from '../src/server/db/embedded';

/**
 * Two more panel processes (the build global setup made, `scripts/panel-server.ts` as `npm start` runs it) on a database of
 * their own, both with jobs on and a 2 s heartbeat: together they sweep about once per 2 s, not twice.
 */
const root = path.resolve(import.meta.dirname, '..');
const INTERVAL_MS = 2000;
const WINDOW_MS = 12_000;

interface Panel {
  child: ChildProcess;
  output: () => string;
  exited: () => boolean;
}

function dbUrl(name: string) {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

function startPanel(port: number, databaseUrl: string): Panel {
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/panel-server.ts')], {
    cwd: root,
    detached: true, // its own process group, stopped as a whole
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, // the e2e global setup's settings (test secrets and the like)
      DATABASE_URL: databaseUrl,
      NAS_PANEL_DB_READY: '1',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      JOBS_ENABLED: 'true',
      HEARTBEAT_INTERVAL_MS: String(INTERVAL_MS),
      HEARTBEAT_FIRST_DELAY_MS: '0',
    },
  });
  let out = '';
  let gone = false;
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  child.on('exit', () => (gone = true));
  return { child, output: () => out, exited: () => gone };
}

async function stopPanel(p: Panel) {
  if (p.exited()) return;
  const done = new Promise((r) => p.child.once('exit', r));
  try {
    process.kill(-p.child.pid!, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const t = setTimeout(() => {
    try {
      process.kill(-p.child.pid!, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }, 5000);
  await done;
  clearTimeout(t);
}

test('two panel processes on one database run the heartbeat once per interval in total', async () => {
  test.setTimeout(60_000);
  const name = `scale_out_${randomBytes(4).toString('hex')}`;
  const admin = postgres(dbUrl('postgres'), { onnotice: () => {}, max: 1 });
  const panels: Panel[] = [];
  let sql: postgres.Sql | undefined;
  try {
    await admin.unsafe(`create database ${name}`);
    const prepared = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        '-e',
        "import('./src/server/setup/prepare.ts').then((m) => m.prepareDatabase()).then(() => process.exit(0))",
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: dbUrl(name) }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(prepared.status, prepared.stderr).toBe(0);

    for (const port of [await freePort(), await freePort()]) panels.push(startPanel(port, dbUrl(name)));
    // Both are up with their jobs started (instrumentation logs it), so the window below sees both at work.
    await expect
      .poll(() => panels.map((p) => (p.exited() ? 'exited' : p.output().includes('[jobs] pool-import worker and heartbeat started'))), {
        timeout: 30_000,
        message: 'both panels start their jobs',
      })
      .toEqual([true, true]);

    sql = postgres(dbUrl(name), { onnotice: () => {}, max: 1 });
    const runs = async () => Number((await sql!`select runs from job_runs where name = 'heartbeat'`)[0]?.runs ?? 0);
    const before = await runs();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const swept = (await runs()) - before;
    const elapsed = Date.now() - t0;

    const perProcess = panels.map((p) => p.output().split('[heartbeat] polled').length - 1);
    const seen = `${swept} sweeps in ${elapsed} ms; heartbeat lines per process since start: ${perProcess.join(', ')}`;
    // Starts are at least 90 % of an interval apart across instances: at most elapsed / 1.8 s (+1 for the
    // window's edge); one sweep per interval per process would be about twice the interval count.
    expect(swept, seen).toBeLessThanOrEqual(Math.floor(elapsed / (INTERVAL_MS * 0.9)) + 1);
    expect(swept, seen).toBeGreaterThanOrEqual(Math.floor(elapsed / INTERVAL_MS) - 2);
    expect(panels.map((p) => p.exited())).toEqual([false, false]);
    console.log(`[scale-out] ${seen}`);
    const [row] = await sql`select last_outcome from job_runs where name = 'heartbeat'`;
    expect(row.last_outcome).toBe('ok');
  } finally {
    await Promise.all(panels.map(stopPanel));
    await sql?.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end({ timeout: 5 });
  }
});
