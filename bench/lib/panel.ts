import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildIfStale } from '../../scripts/next-build';
import { onCleanup } from './cleanup';
import { waitForOk } from './http';
import { reap, unreap } from './reaper';

/**
 * The panel under test runs from a snapshot: a `git clone` of HEAD with node_modules linked and HEAD's build
 * (the working tree's when it is HEAD, else built in the clone). Others on this machine rebuild `.next` in the working tree at any time (e2e, `npm
 * start`); a rebuild under a running `next start` would break the bench half-way, a snapshot cannot.
 * The clone is also exactly what figure 8 needs: a fresh clone, after install, with a build present.
 */
export function makeSnapshot(root: string, dir: string, log: (s: string) => void): string {
  const clone = path.join(dir, 'clone');
  const r = spawnSync('git', ['clone', '--quiet', '--local', '--no-hardlinks', root, clone], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git clone of ${root} failed: ${r.stderr}`);
  if (workingTreeIsHead(root)) {
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    // The working tree's build is HEAD's: reuse it (built when stale). Copied after the clone, so BUILD_ID is
    // newer than every checked-out source: the start script's staleness check then serves it as it is.
    buildIfStale(root, log);
    const src = path.join(root, '.next');
    fs.cpSync(src, path.join(clone, '.next'), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (p) => !p.startsWith(path.join(src, 'cache')) && !p.startsWith(path.join(src, 'lock')),
    });
  } else {
    // Uncommitted changes (someone's work in progress) must not be what is measured: build HEAD in the clone.
    // Turbopack will not build through a symlinked node_modules: hard links, a few seconds on one filesystem.
    log('the working tree differs from HEAD: building the clone of HEAD');
    const cp = spawnSync('cp', ['-al', path.join(root, 'node_modules'), path.join(clone, 'node_modules')], { encoding: 'utf8' });
    if (cp.status !== 0) throw new Error(`linking node_modules into the clone failed: ${cp.stderr}`);
    buildIfStale(clone, log);
  }
  const buildId = fs.readFileSync(path.join(clone, '.next', 'BUILD_ID'), 'utf8').trim();
  log(`snapshot: clone of HEAD ${gitHead(root)} with build ${buildId} in ${clone}`);
  return clone;
}

/** No changed, staged or untracked file outside .gitignore. */
function workingTreeIsHead(root: string): boolean {
  const r = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === '';
}

export function gitHead(root: string): string {
  return spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
}

export interface RunningPanel {
  url: string;
  pid: number;
  logFile: string;
  /** Wall time from spawn to the first 200 on /signin. */
  startMs: number;
  log(): string;
  stop(): Promise<void>;
}

/**
 * `tsx scripts/start.ts` in `cwd`, in its own process group (so the stop takes next-server, and the
 * embedded PostgreSQL when it started one, with it), answering on /signin before this resolves.
 */
export async function startPanel(opts: {
  cwd: string;
  env: Record<string, string | undefined>;
  port: number;
  logFile: string;
  deadlineMs: number;
}): Promise<RunningPanel> {
  const url = `http://127.0.0.1:${opts.port}`;
  const out = fs.openSync(opts.logFile, 'w');
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(opts.cwd, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
    cwd: opts.cwd,
    env: { ...opts.env, PORT: String(opts.port), HOST: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  const group = { kind: 'group', id: child.pid!, signal: 'SIGKILL' } as const;
  reap(group);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `panel exited (${signal ?? code}) during the bench; log: ${opts.logFile}\n${tail(opts.logFile)}`;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return unreap(group);
    signalGroup(child.pid!, 'SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(10_000).then(() => false)]);
    if (!killed) signalGroup(child.pid!, 'SIGKILL');
    await Promise.race([exit, sleep(2000)]);
    // start.ts stops its PostgreSQL on SIGTERM; give stragglers of the group a moment, then make sure.
    await sleep(300);
    signalGroup(child.pid!, 'SIGKILL');
    unreap(group);
  };
  onCleanup(`panel on ${url}`, stop);
  await waitForOk(`${url}/signin`, opts.deadlineMs, () => exited);
  return {
    url,
    pid: child.pid!,
    logFile: opts.logFile,
    startMs: performance.now() - t0,
    log: () => fs.readFileSync(opts.logFile, 'utf8'),
    stop,
  };
}

function signalGroup(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(-pid, sig);
  } catch {
    /* already gone */
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-3000);
  } catch {
    return '';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `preferred` when nothing listens there, else any free port. */
export async function pickPort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0))!;
}
