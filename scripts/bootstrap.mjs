#!/usr/bin/env node
/**
 * Plain Node, no dependencies: makes `npm start` and `npm test` work on a fresh clone. Installs the npm
 * dependencies when node_modules is missing or older than package-lock.json, then runs the real script
 * with tsx. `node scripts/bootstrap.mjs <script.ts> [args…]`
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { radiusNodeOptions } from './radius-heap.mjs';

const root = path.resolve(import.meta.dirname, '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');

const stale = !fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
  console.log('[nas-panel] installing dependencies (npm install)…');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    // Playwright cannot download its browsers here; the tests use Debian's Chromium.
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const [script, ...args] = process.argv.slice(2);
const env = { ...process.env };
if (script === 'scripts/radius.ts') {
  // The RADIUS process's heap limit is a Node flag, so it is set here, before Node starts it (.env included).
  if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
  try {
    env.NODE_OPTIONS = radiusNodeOptions(process.env);
  } catch (e) {
    console.error(`[radius] could not start: ${e.message}`);
    process.exit(1);
  }
}
const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, script), ...args], {
  cwd: root,
  stdio: 'inherit',
  env,
});
// A supervisor's SIGTERM reaches the panel, which stops its PostgreSQL cleanly.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
