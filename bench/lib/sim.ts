import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { FaultMode, SimPoolConfig, SimPppActiveConfig, SimRouterConfig } from '../../tools/routeros-sim';
import { onCleanup } from './cleanup';
import { sleep } from './panel';

/** The bench's handle on bench/sim-host.ts: every call is a request over IPC, answered when done. */
export interface SimHost {
  start(cfgs: SimRouterConfig[]): Promise<{ host: string; apiPort: number; coaPort: number | null }[]>;
  setFault(hosts: string[], fault: FaultMode): Promise<void>;
  setPools(host: string, pools: SimPoolConfig[]): Promise<void>;
  setPppActive(host: string, sessions: SimPppActiveConfig[]): Promise<void>;
  stop(hosts: string[]): Promise<void>;
  pid: number;
  close(): Promise<void>;
}

export async function startSimHost(root: string): Promise<SimHost> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/sim-host.ts')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let dead: string | null = null;
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    if (m.id === 0) return ready();
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.result);
    else p?.reject(new Error(`simulator: ${m.error}`));
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      dead = `simulator process exited (${signal ?? code})`;
      for (const p of pending.values()) p.reject(new Error(dead));
      pending.clear();
      resolve();
    }),
  );
  const call = <T>(msg: Record<string, unknown>): Promise<T> => {
    if (dead) return Promise.reject(new Error(dead));
    const id = ++seq;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...msg, id });
    });
  };
  const close = async () => {
    if (dead) return;
    await Promise.race([call({ op: 'stopAll' }), sleep(10_000)]).catch(() => {});
    child.disconnect?.();
    const gone = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
    if (!gone) child.kill('SIGKILL');
  };
  onCleanup('simulated routers', close);
  await Promise.race([
    isReady,
    exited.then(() => Promise.reject(new Error(dead ?? 'simulator exited'))),
    sleep(60_000).then(() => Promise.reject(new Error('simulator process did not start within 60 s'))),
  ]);
  return {
    pid: child.pid!,
    start: (cfgs) => call({ op: 'start', cfgs }),
    setFault: (hosts, fault) => call({ op: 'setFault', hosts, fault }),
    setPools: (host, pools) => call({ op: 'setPools', host, pools }),
    setPppActive: (host, sessions) => call({ op: 'setPppActive', host, sessions }),
    stop: (hosts) => call({ op: 'stop', hosts }),
    close,
  };
}
