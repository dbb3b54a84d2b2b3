import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export type ReapTarget = { kind: 'group' | 'pid'; id: number; signal: NodeJS.Signals } | { kind: 'dir'; path: string };

let child: ChildProcess | null = null;

/**
 * Starts bench/reaper.ts, detached, to stop what the bench registered should the bench be killed outright.
 * Targets are added as soon as they exist and removed once stopped the normal way (a pid must never
 * outlive its process in the list: it could be reused).
 */
export async function startReaper(root: string): Promise<void> {
  const c = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/reaper.ts')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'], // holds none of the bench's pipes open
  });
  await new Promise<void>((resolve, reject) => {
    c.once('message', () => resolve());
    c.once('exit', (code) => reject(new Error(`reaper exited (${code}) before it was ready`)));
  });
  c.unref();
  (c.channel as unknown as { unref(): void } | undefined)?.unref();
  child = c;
}

export function reap(t: ReapTarget) {
  if (child?.connected) child.send({ add: t });
}

export function unreap(t: ReapTarget) {
  if (child?.connected) child.send({ remove: t });
}

/** The normal end: every target was removed, so the reaper just exits. */
export function stopReaper() {
  if (child?.connected) child.disconnect();
  child = null;
}
