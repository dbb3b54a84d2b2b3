import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/server/db/embedded';
import { TEST_ENV } from '../src/test/test-env';

const root = path.resolve(import.meta.dirname, '..');

/**
 * A real panel for the browser: its own embedded PostgreSQL, then the README's start command pointed at it
 * (so e2e also proves `npm start` works), on E2E_PORT. Tests read DATABASE_URL to arrange their data.
 */
export default async function globalSetup() {
  const port = Number(process.env.E2E_PORT ?? 3217);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-e2e-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false, database: 'nas_panel_e2e' });
  const env = {
    ...process.env,
    ...TEST_ENV,
    JOBS_ENABLED: process.env.E2E_JOBS_ENABLED ?? 'true',
    DATABASE_URL: pg.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    HEARTBEAT_FIRST_DELAY_MS: '600000',
    POOL_IMPORT_POLL_MS: '300',
    ROUTEROS_TIMEOUT_MS: '3000',
    // The panel's RADIUS service, on ports of its own so nothing else on the machine is disturbed.
    RADIUS_LISTEN: '127.0.0.1',
    RADIUS_AUTH_PORT: process.env.E2E_RADIUS_AUTH_PORT ?? '18127',
    RADIUS_ACCT_PORT: process.env.E2E_RADIUS_ACCT_PORT ?? '18137',
    RADIUS_FLUSH_MS: '500',
  };
  Object.assign(process.env, env);

  const server = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logFile = path.join(os.tmpdir(), 'nas-panel-e2e-server.log');
  const log = fs.createWriteStream(logFile);
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  let exited: number | null = null;
  server.on('exit', (code) => (exited = code ?? -1));

  const deadline = Date.now() + 8 * 60_000; // includes a first `next build` on a 2-core machine
  for (;;) {
    if (exited !== null)
      throw new Error(`panel exited with ${exited} during start; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`panel did not answer within 8 minutes; see ${logFile}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/signin`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }

  return async () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 500));
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
