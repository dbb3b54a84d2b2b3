/**
 * FreeRADIUS set up as issue 11's anchor on the bench's database: installed if missing, its tables built
 * from the world (freeradius-data.ts), started on two free loopback ports, registered with the bench's
 * clean-up (and its reaper, should the bench be killed outright).
 */
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { onCleanup } from '../lib/cleanup';
import { reap, unreap } from '../lib/reaper';
import { ensureFreeradiusInstalled, freeradiusVersion, freeUdpPorts, startFreeradius, writeFreeradiusConfig } from './freeradius';
import { freeradiusSql, prepareFreeradiusData, type FreeradiusData } from './freeradius-data';
import { RECV_BUFFER } from './load';
import type { RadiusTarget } from './measure';

export interface FreeradiusAnchor {
  target: RadiusTarget;
  version: string;
  data: FreeradiusData;
  threads: { start: number; max: number; minSpare: number; maxSpare: number };
  maxRequests: number;
  pid: number;
  /** From its start to answering, with every client read from SQL: what any NAS change costs FreeRADIUS. */
  startSeconds: number;
  /** VmRSS and VmHWM of the radiusd process, MB. */
  memory(): { rssMb: number; hwmMb: number };
  /** Its log's warnings and errors so far (dropped requests, SQL trouble), most recent last. */
  problems(): string[];
  stop(): Promise<void>;
}

// FreeRADIUS's shipped thread pool; its SQL connection pool follows it (start 5, up to 32).
const THREADS = { start: 5, max: 32, minSpare: 3, maxSpare: 10 };

export async function startFreeradiusAnchor(opts: {
  url: string;
  secret: string;
  /** A folder of the run's (removed with it); FreeRADIUS's directory is made inside. */
  tmp: string;
  log: (s: string) => void;
  copyRadacct?: boolean;
}): Promise<FreeradiusAnchor> {
  ensureFreeradiusInstalled(opts.log);
  const version = freeradiusVersion();
  const data = await prepareFreeradiusData(opts.url, { secret: opts.secret, log: opts.log, copyRadacct: opts.copyRadacct });
  const dir = fs.mkdtempSync(path.join(opts.tmp, 'freeradius-'));
  const [authPort, acctPort] = await freeUdpPorts('127.0.0.1', 2);
  // radiusd.conf says 256 × the number of clients; anything less drops requests once
  // rate × cleanup_delay (5 s) exceeds it.
  const maxRequests = Math.max(16_384, 256 * data.nas);
  const raddb = writeFreeradiusConfig({
    dir,
    address: '127.0.0.1',
    authPort,
    acctPort,
    sql: freeradiusSql(opts.url),
    threads: THREADS,
    maxRequests,
    recvBuffer: RECV_BUFFER,
  });
  const t = performance.now();
  const fr = await startFreeradius({ raddb, dir });
  const startSeconds = (performance.now() - t) / 1000;
  opts.log(`  ${version} ready on 127.0.0.1:${authPort}/${acctPort} in ${((performance.now() - t) / 1000).toFixed(1)} s (pid ${fr.pid})`);
  const reapTarget = { kind: 'pid', id: fr.pid, signal: 'SIGKILL' } as const;
  reap(reapTarget);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await fr.stop();
    unreap(reapTarget);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const forget = onCleanup('FreeRADIUS', stop);

  try {
    // The NAS exactly as FreeRADIUS read them: address, cleartext secret, identity.
    const sql = postgres(opts.url, { max: 1, onnotice: () => {} });
    const rows = await sql`select nasname, secret, description from freeradius.nas order by id`.finally(() => sql.end({ timeout: 5 }));
    const target: RadiusTarget = {
      label: version,
      host: '127.0.0.1',
      authPort,
      acctPort,
      nas: rows.map((r) => ({ address: r.nasname as string, secret: r.secret as string, identifier: r.description as string })),
    };
    return {
      target,
      version,
      data,
      threads: THREADS,
      maxRequests,
      pid: fr.pid,
      startSeconds,
      memory: () => {
        const status = fs.readFileSync(`/proc/${fr.pid}/status`, 'utf8');
        const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
        return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
      },
      problems: () =>
        fr
          .logTail(5_000)
          .split('\n')
          .filter((l) => /: (Warning|Error|ERROR|WARNING):/.test(l)),
      stop: async () => {
        forget();
        await stop();
      },
    };
  } catch (e) {
    forget();
    await stop();
    throw e;
  }
}
