/**
 * Our RADIUS service as a bench target, beside the FreeRADIUS anchor: the world's subscribers get the
 * passwords the generator uses (sealed to their rows, as the panel stores them) and a plan, then the
 * snapshot's `scripts/radius.ts` runs as a process of its own on the run's database, exactly as
 * `npm run radius` would. Registered with the bench's clean-up and its reaper.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { onCleanup } from '../lib/cleanup';
import { reap, unreap } from '../lib/reaper';
import { freeUdpPorts } from './freeradius';
import { radiusNodeOptions } from '../../scripts/radius-heap.mjs';
import type { RadiusTarget } from './measure';
import { subscriberPassword } from './subscribers';
import type { NasEndpoint } from './workloads';

export const BENCH_PLAN = { name: 'bench 50M', downloadKbps: 50_000, uploadKbps: 10_000, framedPool: 'pppoe', interimIntervalS: 300 };

/**
 * Every subscriber's password_enc (the generator's subscriberPassword, AES-GCM bound to its row) and plan,
 * in bulk statements of 50,000 rows. The encryption runs here with the run's key (TEST_ENV's, which the
 * service is given too).
 */
export async function prepareOurSubscribers(url: string, log: (s: string) => void): Promise<{ subscribers: number; seconds: number }> {
  const { encryptSecret } = await import('../../src/server/crypto/secret-box');
  const t0 = performance.now();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [plan] = await sql`insert into plans (name, download_kbps, upload_kbps, framed_pool, interim_interval_s)
      values (${BENCH_PLAN.name}, ${BENCH_PLAN.downloadKbps}, ${BENCH_PLAN.uploadKbps}, ${BENCH_PLAN.framedPool}, ${BENCH_PLAN.interimIntervalS})
      on conflict (name) do update set name = excluded.name returning id`;
    let after = 0;
    let total = 0;
    for (;;) {
      const rows = await sql<{ id: number; username: string }[]>`
        select id, username from subscribers where id > ${after} order by id limit 50000`;
      if (rows.length === 0) break;
      const ids = rows.map((r) => r.id);
      const sealed = rows.map((r) =>
        encryptSecret(subscriberPassword(r.username), { table: 'subscribers', column: 'password_enc', id: r.id }),
      );
      await sql`update subscribers s set password_enc = v.p, plan_id = ${plan.id}
        from unnest(${ids}::int[], ${sealed}::text[]) as v(id, p) where s.id = v.id`;
      after = ids[ids.length - 1];
      total += rows.length;
    }
    await sql`vacuum (analyze) subscribers`;
    const seconds = (performance.now() - t0) / 1000;
    log(`  ${total.toLocaleString('en')} subscriber passwords sealed and a plan set in ${seconds.toFixed(1)} s`);
    return { subscribers: total, seconds };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface OurRadius {
  target: RadiusTarget;
  pid: number;
  /** From spawn to "listening", NAS and subscribers loaded. */
  startSeconds: number;
  /** The service's own line: how many NAS and subscribers it loaded, in how long. */
  loadedLine: string;
  memory(): { rssMb: number; hwmMb: number };
  log(): string;
  stop(): Promise<void>;
}

/** `node --import tsx scripts/radius.ts` in the snapshot (one process: its pid is the service's, for RSS). */
export async function startOurRadius(opts: {
  cwd: string;
  env: Record<string, string | undefined>;
  nas: readonly NasEndpoint[];
  logFile: string;
  log: (s: string) => void;
  label?: string;
  deadlineMs?: number;
  /** Extra node options, e.g. `--cpu-prof` when looking into a figure. */
  nodeArgs?: string[];
}): Promise<OurRadius> {
  const [authPort, acctPort] = await freeUdpPorts('127.0.0.1', 2);
  const out = fs.openSync(opts.logFile, 'w');
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(opts.cwd, 'scripts/radius.ts')], {
    cwd: opts.cwd,
    env: {
      ...opts.env,
      // The heap limit `npm run radius` and `npm start` give it (figure 13 measures the process as it runs).
      NODE_OPTIONS: radiusNodeOptions(opts.env),
      RADIUS_LISTEN: '127.0.0.1',
      RADIUS_AUTH_PORT: String(authPort),
      RADIUS_ACCT_PORT: String(acctPort),
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const reapTarget = { kind: 'pid', id: child.pid!, signal: 'SIGKILL' } as const;
  reap(reapTarget);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `${signal ?? code}`;
      resolve();
    }),
  );
  const read = () => fs.readFileSync(opts.logFile, 'utf8');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) child.kill('SIGTERM');
    const gone = await Promise.race([exit.then(() => true), sleep(10_000).then(() => false)]);
    if (!gone) child.kill('SIGKILL');
    unreap(reapTarget);
  };
  const forget = onCleanup(`RADIUS service pid ${child.pid}`, stop);
  const deadline = Date.now() + (opts.deadlineMs ?? 120_000);
  while (!/\[radius\] listening on/.test(read())) {
    if (exited) throw new Error(`our RADIUS service exited (${exited}) during start:\n${read().slice(-2000)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`our RADIUS service did not start within ${opts.deadlineMs ?? 120_000} ms:\n${read().slice(-2000)}`);
    }
    await sleep(50);
  }
  const startSeconds = (performance.now() - t0) / 1000;
  const loadedLine = /\[radius\] loaded [^\n]*/.exec(read())?.[0] ?? '';
  opts.log(
    `  ${opts.label ?? 'our RADIUS service'} (pid ${child.pid}) on 127.0.0.1:${authPort}/${acctPort} in ${startSeconds.toFixed(1)} s: ${loadedLine}`,
  );
  return {
    target: { label: opts.label ?? 'NAS Panel RADIUS', host: '127.0.0.1', authPort, acctPort, nas: opts.nas },
    pid: child.pid!,
    startSeconds,
    loadedLine,
    memory: () => processMemory(child.pid!),
    log: read,
    stop: async () => {
      forget();
      await stop();
    },
  };
}

/** VmRSS and VmHWM of a process, MB. */
export function processMemory(pid: number): { rssMb: number; hwmMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
