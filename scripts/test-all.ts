/**
 * `npm test`: every test, in order — unit and integration (vitest, real PostgreSQL and loopback sockets),
 * then the browser (Playwright in Debian's Chromium against a real panel). Ends with one summary line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const vitestJson = path.join(os.tmpdir(), `nas-panel-vitest-${process.pid}.json`);
const playwrightJson = path.join(os.tmpdir(), `nas-panel-playwright-${process.pid}.json`);

function run(label: string, cmd: string[], env: Record<string, string> = {}) {
  console.log(`\n[test] ${label}: ${cmd.join(' ')}`);
  const r = spawnSync(process.execPath, cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function counts(file: string, kind: 'vitest' | 'playwright'): { passed: number; failed: number; skipped: number } {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (kind === 'vitest') return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests };
    // A flaky test (passed only on a retry, e.g. `--retries 1` by hand) failed once: it counts as failed.
    return { passed: j.stats.expected, failed: j.stats.unexpected + j.stats.flaky, skipped: j.stats.skipped };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

/** A Debian package the tests need; as root with apt, installed rather than failed for. */
function ensureDebianPackage(what: string, file: string, pkg: string, hint: string) {
  if (fs.existsSync(file)) return;
  if (process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    console.log(`[test] installing Debian's ${pkg} for ${what}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
  }
  if (!fs.existsSync(file)) {
    console.error(`[test] no ${file}: ${hint}`);
    process.exit(1);
  }
}

// FreeRADIUS's radclient is the independent RADIUS client the RADIUS service's tests talk to.
const ensureRadclient = () =>
  ensureDebianPackage(
    'the RADIUS tests',
    '/usr/bin/radclient',
    'freeradius-utils',
    "install Debian's freeradius-utils (apt-get install freeradius-utils)",
  );
const ensureChromium = () => {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  ensureDebianPackage(
    'the browser tests',
    chromium,
    'chromium',
    "install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH",
  );
};

const only = process.argv[2];
let code = 0;
const totals = { passed: 0, failed: 0, skipped: 0 };
if (!only || only === 'unit') {
  ensureRadclient();
  code |= run('unit + integration', [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
  ]);
  const c = counts(vitestJson, 'vitest');
  for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += c[k];
}
if (!only || only === 'e2e') {
  ensureChromium();
  code |= run('end-to-end', ['node_modules/@playwright/test/cli.js', 'test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  const c = counts(playwrightJson, 'playwright');
  for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += c[k];
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code || (totals.failed > 0 ? 1 : 0));
