/**
 * The bench's last line of defence, in its own process group: when the bench process disappears without
 * running its clean-up (SIGKILL — which is what the tsx wrapper does to a child that does not answer
 * Ctrl-C within 60 ms, e.g. while it waits for a build), this stops what the bench registered: the panel's
 * process group, the embedded PostgreSQL, and the temp folder. Driven over IPC by lib/reaper.ts.
 */
import fs from 'node:fs';

type Target = { kind: 'group' | 'pid'; id: number; signal: NodeJS.Signals } | { kind: 'dir'; path: string };
const targets: Target[] = [];

process.on('message', (m: { add?: Target; remove?: Target }) => {
  if (m.add) targets.push(m.add);
  if (m.remove) {
    const i = targets.findIndex((t) => JSON.stringify(t) === JSON.stringify(m.remove));
    if (i >= 0) targets.splice(i, 1);
  }
});

process.on('disconnect', () => {
  if (targets.length === 0) process.exit(0);
  for (const t of [...targets].reverse()) {
    if (t.kind === 'dir') continue;
    try {
      process.kill(t.kind === 'group' ? -t.id : t.id, t.signal);
    } catch {
      /* already gone */
    }
  }
  // PostgreSQL needs a moment to shut down before its folder can go.
  setTimeout(() => {
    for (const t of targets) if (t.kind === 'dir') fs.rmSync(t.path, { recursive: true, force: true });
    process.exit(0);
  }, 3000);
});
// Everything on Ctrl-C belongs to the bench; this process only acts when the bench is gone.
process.on('SIGINT', () => {});
process.send?.('ready');
