import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const WATCHED = ['src', 'public', 'next.config.mjs', 'package-lock.json', 'postcss.config.mjs'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

/** Build the production bundle when there is none or the sources are newer than it. */
export function buildIfStale(root: string, log: (s: string) => void) {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...WATCHED.map((w) => newestMtime(path.join(root, w))));
  if (built > newest) return;
  log(built ? 'sources changed since the last build: rebuilding (about a minute)…' : 'first start: building the panel (about a minute)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})`);
}
